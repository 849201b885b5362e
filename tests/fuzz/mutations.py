"""Hypothesis strategies that damage a real file the ways files really get damaged: cut short,
bytes flipped, lines dropped, doubled or shuffled, the header changed, another encoding."""

from __future__ import annotations

from hypothesis import strategies as st


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


@st.composite
def truncated(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)))]


@st.composite
def flipped_bytes(draw, data: bytes) -> bytes:
    if not data:
        return data
    damaged = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(damaged) - 1))
        damaged[at] ^= draw(st.integers(1, 255))
    return bytes(damaged)


@st.composite
def dropped_lines(draw, data: bytes) -> bytes:
    lines = _lines(data)
    if not lines:
        return data
    drop = draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=5))
    return b"".join(line for i, line in enumerate(lines) if i not in drop)


@st.composite
def duplicated_lines(draw, data: bytes) -> bytes:
    lines = _lines(data)
    if not lines:
        return data
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(draw(st.integers(0, len(lines))), lines[at])
    return b"".join(lines)


@st.composite
def shuffled_lines(draw, data: bytes) -> bytes:
    # The header may move too: a file whose first line is data is a real failure mode.
    return b"".join(draw(st.permutations(_lines(data))))


@st.composite
def changed_header(draw, data: bytes) -> bytes:
    lines = _lines(data)
    if not lines:
        return data
    header = lines[0].decode("utf-8", "replace")
    separator = "\t" if "\t" in header else ","
    names = header.rstrip("\r\n").split(separator)
    at = draw(st.integers(0, len(names) - 1))
    change = draw(st.sampled_from(["rename", "drop", "blank", "duplicate"]))
    if change == "rename":
        names[at] = draw(st.text(st.characters(codec="utf-8"), max_size=12))
    elif change == "drop":
        del names[at]
    elif change == "blank":
        names[at] = ""
    else:
        names.insert(at, names[at])
    lines[0] = (separator.join(names) + "\n").encode("utf-8", "surrogatepass")
    return b"".join(lines)


@st.composite
def reencoded(draw, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = draw(st.sampled_from(["utf-16", "utf-8-sig", "cp1252", "latin-1", "utf-32"]))
    return text.encode(codec, "replace")


@st.composite
def inserted_garbage(draw, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]


MUTATIONS = (
    truncated,
    flipped_bytes,
    dropped_lines,
    duplicated_lines,
    shuffled_lines,
    changed_header,
    reencoded,
    inserted_garbage,
)


def mutated(data: bytes) -> st.SearchStrategy[tuple[str, bytes]]:
    """(name of the mutation, damaged bytes) for one of the mutations, applied once or twice."""
    one = st.sampled_from(MUTATIONS).flatmap(lambda m: m(data).map(lambda d: (m.__name__, d)))
    return st.one_of(
        one,
        one.flatmap(
            lambda first: st.sampled_from(MUTATIONS).flatmap(
                lambda m: m(first[1]).map(lambda d: (f"{first[0]}+{m.__name__}", d))
            )
        ),
    )
