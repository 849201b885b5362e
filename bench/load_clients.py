"""The clients of a load run: what anonymous readers and signed-in people do, and an import
that runs while they do it.

Anonymous readers draw every URL from the whole atlas (every organisation of the demo data,
every local authority and ward, every place with money, every financial year), so the page
cache holds only what many readers really share. Signed-in people read the same pages with a
session (the page cache never serves them), edit their organisation's partnership profile
(which makes every cached public page stale, as a real edit does) and create, use and revoke
API tokens. None of these writes is rate limited (core/ratelimit.py lists every limit), so the
run uses the limits as deployed.
"""

from __future__ import annotations

import random
import re
import threading
import time
import urllib.parse

from .load_http import Recorder, Session, request
from .load_server import WRITERS, Server, manage_process

# A signed-in person's action: a profile edit in PROFILE_EDITS of them, a token round trip in
# TOKEN_ROUNDS, otherwise a page read with their session.
PROFILE_EDITS = 0.1
TOKEN_ROUNDS = 0.3
REVOKE = re.compile(rb"/account/tokens/(\d+)/revoke/")
NEW_TOKEN = re.compile(rb"cg_[A-Za-z0-9_-]{20,}")
VERSION = re.compile(rb'name="version" value="(\d*)"')
IMPORT = ("import_register", "coops_uk")  # 7,272 co-operatives, re-read and compared


def atlas_path(f: dict, rng: random.Random) -> tuple[str, str]:
    """(kind, path) of one public read, drawn across the whole atlas."""
    roll = rng.random()
    quote = urllib.parse.quote
    if roll < 0.35:
        place = rng.choice(["", "E08000009", rng.choice(f["places"])])
        query = f"q={quote(rng.choice(f['words']))}" + (f"&place={place}" if place else "")
        if roll < 0.2:
            return "search page", f"/organisations/?{query}"
        return "search API", f"/api/v1/organisations?{query}"
    if roll < 0.6:
        return "organisation page", f"/organisations/{quote(rng.choice(f['orgs']))}/"
    if roll < 0.75:
        place = rng.choice(f["profiled"])
        year = rng.choice(["", *f["years"]])
        query = f"?financial_year={year}" if year else ""
        if rng.random() < 0.5:
            return "place profile", f"/places/{place}/profile/{query}"
        return "place profile API", f"/api/v1/places/{place}/profile{query}"
    return "place page", f"/places/{rng.choice(f['places'])}/"


# A profile or a year a place has no money for answers 200 with "no flows"; an unknown financial
# year for a place answers 400 on the page, which the URL set never asks for.
def browse(server: Server, recorder: Recorder, rng: random.Random) -> None:
    kind, path = atlas_path(server.fixtures, rng)
    recorder.timed(kind, lambda: request("GET", server.port, path))


def signed_in(
    session: Session, server: Server, recorder: Recorder, rng: random.Random, n: int
) -> None:
    roll = rng.random()
    if roll < PROFILE_EDITS:
        edit_profile(session, recorder, n)
    elif roll < PROFILE_EDITS + TOKEN_ROUNDS:
        token_round(session, recorder, n)
    else:
        kind, path = atlas_path(server.fixtures, rng)
        recorder.timed(f"signed in: {kind}", lambda: session.call("GET", path))


def edit_profile(session: Session, recorder: Recorder, n: int) -> None:
    """Open the organisation's profile form and save it with a new summary: a public change."""
    path = f"/organisations/{urllib.parse.quote(session.owns)}/profile/edit"
    status, page = recorder.timed("signed in: profile form", lambda: session.call("GET", path))
    if status != 200:
        return
    found = VERSION.search(page)
    body = {
        "version": found.group(1).decode() if found else "",
        "summary": f"Open to partners (load run edit {n})",
        "open_to_partnership": "yes",
    }
    recorder.timed("write: profile edit", lambda: session.call("POST", path, body), ok=(302,))


def token_round(session: Session, recorder: Recorder, n: int) -> None:
    status, page = recorder.timed(
        "write: create token",
        lambda: session.call("POST", "/account/tokens/", {"name": f"load {n}"}),
    )
    if status != 200:
        return
    raw = NEW_TOKEN.search(page)
    if raw:
        token = raw.group(0).decode()
        recorder.timed(
            "API with token",
            lambda: request(
                "GET",
                session.port,
                "/api/v1/account/me",
                headers={"Authorization": f"Bearer {token}"},
            ),
        )
    ids = REVOKE.findall(page)
    if ids:
        newest = max(int(i) for i in ids)
        recorder.timed(
            "write: revoke token",
            lambda: session.call("POST", f"/account/tokens/{newest}/revoke/"),
            ok=(302,),
        )


def sign_in_writers(server: Server, clients: int) -> list[Session]:
    sessions = []
    f = server.fixtures
    for email, org_id in list(zip(f["users"], f["owned"], strict=True))[: min(WRITERS, clients)]:
        session = Session(server.port, email, org_id)
        session.sign_in()  # before the clock starts: password hashing is slow on purpose
        sessions.append(session)
    return sessions


def run_clients(
    server: Server,
    clients: int,
    seconds: float,
    think: float,
    recorder: Recorder,
    stop: threading.Event | None = None,
    writers: bool = True,
) -> None:
    """`clients` threads for `seconds`; the first WRITERS are signed in (unless not `writers`),
    and each waits 0.2 x think to think seconds between actions (think 0: a closed loop)."""
    stop = stop or threading.Event()
    sessions = sign_in_writers(server, clients) if writers else []
    recorder.start = time.perf_counter()
    deadline = recorder.start + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        session = sessions[number] if number < len(sessions) else None
        n = 0
        while time.perf_counter() < deadline and not stop.is_set():
            n += 1
            if session is not None:
                signed_in(session, server, recorder, rng, n)
            else:
                browse(server, recorder, rng)
            if think:
                time.sleep(rng.uniform(think * 0.2, think))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)


def import_during(server: Server, after: float, result: dict) -> threading.Thread:
    """Start IMPORT `after` seconds from now, in its own process on the server's database and
    cache (so its end makes the cached pages stale); its timing lands in `result`."""

    def run() -> None:
        time.sleep(after)
        began = time.perf_counter()
        completed = manage_process(server.env, *IMPORT)
        result.update(
            command=" ".join(IMPORT),
            started_at=after,
            seconds=time.perf_counter() - began,
            returncode=completed.returncode,
            summary=_last_line(completed.stdout),
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _last_line(text: str) -> str:
    """The import's outcome line ("coops_uk: succeeded — read ..."), else the last line."""
    lines = [line for line in text.splitlines() if line.strip()]
    outcome = [line for line in lines if ": succeeded" in line or ": failed" in line]
    return (outcome or lines or [""])[-1][:300]
