"""Vendor GOV.UK Frontend and MOJ Frontend into web/static (run by a developer, not at install).

Usage: npm pack govuk-frontend@5.14.0 @ministryofjustice/frontend@5.2.1 in a scratch folder,
then `python scripts/vendor_frontend.py SCRATCH_FOLDER`. The built files are committed, so
installing and running Common Ground never needs Node.js (ADR 0002).

Common Ground is not a GOV.UK service: the GDS Transport font and the crown are left out
(their licence restricts them to GOV.UK), so @font-face rules are dropped and text falls back
to Arial, as the Design System advises for non-GOV.UK services.
"""

from __future__ import annotations

import re
import shutil
import sys
import tarfile
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src/commonground/web/static/vendor"
_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


def _without_gds_transport(css: str) -> str:
    css = _FONT_FACE.sub("", css)
    return css.replace('"GDS Transport",', "").replace("GDS Transport,", "")


def main(scratch: Path) -> None:
    with (
        tarfile.open(next(scratch.glob("govuk-frontend-*.tgz"))) as govuk,
        tarfile.open(next(scratch.glob("ministryofjustice-frontend-*.tgz"))) as moj,
    ):
        _vendor(govuk, moj)


def _without_source_map(text: str) -> str:
    # The .map files are not vendored; a dangling reference stops collectstatic's manifest.
    return re.sub(r"/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S+", "", text)


def _vendor(govuk: tarfile.TarFile, moj: tarfile.TarFile) -> None:
    STATIC.mkdir(parents=True, exist_ok=True)
    css = govuk.extractfile("package/dist/govuk/govuk-frontend.min.css").read().decode()  # type: ignore[union-attr]
    (STATIC / "govuk-frontend.min.css").write_text(_without_source_map(_without_gds_transport(css)))
    js = govuk.extractfile("package/dist/govuk/govuk-frontend.min.js").read()  # type: ignore[union-attr]
    (STATIC / "govuk-frontend.min.js").write_bytes(_without_source_map(js.decode()).encode())
    css = moj.extractfile("package/moj/moj-frontend.min.css").read().decode()  # type: ignore[union-attr]
    images = STATIC / "images"
    images.mkdir(exist_ok=True)
    # MOJ's icons are referenced from /assets/images/; serve them beside the stylesheet instead.
    for name in sorted(set(re.findall(r"url\(/assets/images/([\w.-]+)\)", css))):
        member = moj.extractfile(f"package/moj/assets/images/{name}")
        (images / name).write_bytes(member.read())  # type: ignore[union-attr]
    css = css.replace("url(/assets/images/", "url(images/")
    (STATIC / "moj-frontend.min.css").write_text(_without_source_map(_without_gds_transport(css)))
    for name in ("favicon.ico", "favicon.svg"):
        member = govuk.extractfile(f"package/dist/govuk/assets/images/{name}")
        with open(images / name, "wb") as out:
            shutil.copyfileobj(member, out)  # type: ignore[arg-type]
    (STATIC / "NOTICE.txt").write_text(
        "GOV.UK Frontend and MOJ Frontend are released under the MIT licence "
        "(see their package.json). Vendored by scripts/vendor_frontend.py.\n"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
