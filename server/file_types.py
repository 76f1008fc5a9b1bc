"""What an uploaded ordinary file is, judged by its content alone.

The client's declared type and its file name are never trusted: a file is a
PDF because it starts with `%PDF-`, a Word document because its ZIP holds
`word/document.xml`, and so on. Anything not recognised here (executables,
scripts, HTML, archives, video) is refused.

| kind     | formats                                              | at most |
|----------|------------------------------------------------------|---------|
| document | PDF, docx, xlsx, pptx, legacy doc and xls            | 10 MB   |
| audio    | m4a/aac (MP4), AAC (ADTS), MP3, Ogg (Opus, Vorbis),   | 5 MB    |
|          | WAV, AMR, WebM audio                                  |         |
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MB = 1000 * 1000
MAX_BYTES = {"document": 10 * MB, "audio": 5 * MB}


@dataclass(frozen=True)
class FileType:
    kind: str  # "document" | "audio"
    mime: str
    extension: str

    @property
    def max_bytes(self) -> int:
        return MAX_BYTES[self.kind]


PDF = FileType("document", "application/pdf", "pdf")
DOCX = FileType("document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = FileType("document", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
DOC = FileType("document", "application/msword", "doc")
XLS = FileType("document", "application/vnd.ms-excel", "xls")
M4A = FileType("audio", "audio/mp4", "m4a")
AAC = FileType("audio", "audio/aac", "aac")
MP3 = FileType("audio", "audio/mpeg", "mp3")
OGG = FileType("audio", "audio/ogg", "ogg")
OPUS = FileType("audio", "audio/ogg", "opus")
WAV = FileType("audio", "audio/wav", "wav")
AMR = FileType("audio", "audio/amr", "amr")
WEBM = FileType("audio", "audio/webm", "webm")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"isom", b"iso2", b"mp41"}
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ZIP_MAX_ENTRIES = 5000


def sniff(data: bytes) -> FileType | None:
    """The type of `data` if it is one of the accepted kinds, else None."""
    head = data[:64]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(data)
    if head.startswith(_OLE2):
        return _legacy_office(data)
    if head.startswith(b"#!AMR"):
        return AMR
    if head[4:8] == b"ftyp":
        return M4A if head[8:12] in _MP4_AUDIO_BRANDS and _mp4_has_sound_only(data) else None
    if head.startswith(b"OggS"):
        page = data[:4096]
        if b"OpusHead" in page:
            return OPUS
        return OGG if b"\x01vorbis" in page else None
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _webm_audio(data)
    if head.startswith(b"ID3"):
        return MP3
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS: sync, layer 00
            return AAC
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:  # MPEG audio frame, layer I–III
            return MP3
    return None


def _ooxml(data: bytes) -> FileType | None:
    """A docx, xlsx or pptx by the parts its ZIP holds (names only; nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _ZIP_MAX_ENTRIES:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith((".exe", ".dll", ".js", ".vbs", ".bat", ".cmd", ".ps1")) for name in names):
        return None
    for part, kind in _OOXML_PARTS:
        if part in names:
            return kind
    return None


def _legacy_office(data: bytes) -> FileType | None:
    """A .doc or .xls: an OLE2 compound file whose directory names a Word or Excel stream."""
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return XLS
    return None


_MP4_VIDEO_HANDLER = re.compile(rb"hdlr.{8}vide", re.DOTALL)


def _mp4_has_sound_only(data: bytes) -> bool:
    """No video track (a handler box of type `vide`): an audio note, not a film."""
    return _MP4_VIDEO_HANDLER.search(data) is None


def _webm_audio(data: bytes) -> FileType | None:
    """WebM with audio tracks only (Opus or Vorbis), no video codec."""
    if b"webm" not in data[:64]:
        return None
    if b"V_VP8" in data or b"V_VP9" in data or b"V_AV1" in data or b"V_MPEG" in data:
        return None
    return WEBM if b"A_OPUS" in data or b"A_VORBIS" in data else None


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def display_name(client_name: str | None, file_type: FileType) -> str:
    """A safe name to offer when the file is downloaded: the client's base name
    without path, control or reserved characters, ending in the extension of
    what the file really is (`report.exe` holding a PDF is offered as `report.pdf`)."""
    base = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" ._")
    stem = base.rsplit(".", 1)[0].strip(" ._") if "." in base else base
    stem = stem[:120] or "file"
    return f"{stem}.{file_type.extension}"
