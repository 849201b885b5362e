"""Text an XML document can hold: Word (.docx) and spreadsheet (.xlsx) downloads are XML inside.

XML 1.0 cannot hold control characters other than tab and line ends, U+FFFE, U+FFFF or lone
surrogates, and python-docx and openpyxl refuse the whole file for one. Text arrives as typed
or published (an old export's stray Ctrl-Z, a paste from elsewhere), so such characters are
left out of the download rather than failing it; CSV keeps them as they were.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
