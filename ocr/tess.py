"""Tesseract in this process: the library itself, each model loaded once per process.

pytesseract starts the ``tesseract`` program for every reading, and every
start loads its models again: about 0.18 CPU-s for ``chi_sim+eng`` and 0.11
for ``chi_sim`` (one thread, measured on this machine) – half the cost of a
page reading and most of the cost of reading a sheet of crops. A card takes
four to six readings. Here the same library the program is built on
(``libtesseract``, its C API through ``ctypes``) reads the same grey pixels
with the same settings, and keeps one engine per language (and engine
mode) alive in the process: the server's card-reading processes are
long-lived, so each loads its models once. The output is the program's
own: the same TSV rows (``image_to_data``) and hOCR (``image_to_hocr``);
48 dev cards read field for field, confidence for confidence, as through
the program. The price is memory: a reading process holds its three
engines (chi_sim+eng, chi_sim, eng), ~275 MiB resident against ~130 MiB
before (when each run's ~130 MiB lived in a child for the run's length).

Where the library cannot be loaded (another system layout), pytesseract
runs the program as before. A reading in the library cannot be stopped
half-way; the server's per-card timeout stops the whole worker process.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import functools
import os
import re
import threading
from typing import Any, cast

from PIL import Image

# One OpenMP thread, as for the program (ocr.engine says why); read when the library loads.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TesseractData = dict[str, list[Any]]
_TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
_NAMES = ("libtesseract.so.5", "libtesseract.so")

# Tesseract's own default of every variable a reading may set (``-c name=value``): one
# engine per language serves readings with and without them.
DEFAULTS = {"tessedit_char_whitelist": "", "hocr_char_boxes": "0", "lstm_choice_mode": "0"}
_lock = threading.Lock()  # one reading at a time per engine (the server reads in processes, one card each)


@functools.cache
def _library() -> ctypes.CDLL | None:
    """libtesseract with the C API's signatures declared, or None when it is not there
    (looked for once per process)."""
    names = list(_NAMES) + [n for n in [ctypes.util.find_library("tesseract")] if n]
    for name in names:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        handle, text, integer = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        lib.TessBaseAPICreate.restype = handle
        lib.TessBaseAPIInit2.argtypes = [handle, text, text, integer]
        lib.TessBaseAPISetVariable.argtypes = [handle, text, text]
        lib.TessBaseAPISetPageSegMode.argtypes = [handle, integer]
        lib.TessBaseAPISetImage.argtypes = [handle, text, integer, integer, integer, integer]
        lib.TessBaseAPIRecognize.argtypes = [handle, handle]
        lib.TessBaseAPIGetTsvText.argtypes = [handle, integer]
        lib.TessBaseAPIGetTsvText.restype = handle
        lib.TessBaseAPIGetHOCRText.argtypes = [handle, integer]
        lib.TessBaseAPIGetHOCRText.restype = handle
        lib.TessDeleteText.argtypes = [handle]
        lib.TessBaseAPIClear.argtypes = [handle]
        lib.TessBaseAPIEnd.argtypes = [handle]
        lib.TessBaseAPIDelete.argtypes = [handle]
        return lib
    return None


def _end(lib: ctypes.CDLL, engine: int) -> None:
    """End an engine before the process exits (the library complains of leaks otherwise)."""
    lib.TessBaseAPIEnd(engine)
    lib.TessBaseAPIDelete(engine)


def _settings(config: str) -> tuple[int, int, tuple[tuple[str, str], ...]]:
    """(OCR engine mode, page segmentation mode, variables) from a command-line config."""
    oem = re.search(r"--oem\s+(\d+)", config)
    psm = re.search(r"--psm\s+(\d+)", config)
    variables = tuple(re.findall(r"-c\s+([A-Za-z_]+)=(\S+)", config))
    return int(oem.group(1)) if oem else 3, int(psm.group(1)) if psm else 3, variables


@functools.cache
def _engine(lang: str, oem: int) -> int:
    """The loaded engine for a language and engine mode: loaded on first use, kept for the
    process's life (the process-wide cache this module is for)."""
    lib = _library()
    assert lib is not None  # callers read through the library only when it is there
    engine: int = lib.TessBaseAPICreate()
    # The program's notes ("Estimating resolution as 356") went to its own stderr.
    lib.TessBaseAPISetVariable(engine, b"debug_file", os.devnull.encode())
    if lib.TessBaseAPIInit2(engine, None, lang.encode(), oem) != 0:
        lib.TessBaseAPIDelete(engine)
        raise RuntimeError(f"Tesseract could not load {lang}")
    atexit.register(_end, lib, engine)
    return engine


def _read(lib: ctypes.CDLL, image: Image.Image, lang: str, config: str, hocr: bool) -> str:
    oem, psm, variables = _settings(config)
    unknown = [name for name, _ in variables if name not in DEFAULTS]
    if unknown:
        raise ValueError(f"no default known for {unknown}: add it to ocr.tess.DEFAULTS")
    grey = image if image.mode == "L" else image.convert("L")
    pixels = grey.tobytes()
    with _lock:
        engine = _engine(lang, oem)
        # A reading's variables hold for it alone: set now, put back afterwards.
        for name, value in variables:
            lib.TessBaseAPISetVariable(engine, name.encode(), value.encode())
        lib.TessBaseAPISetPageSegMode(engine, psm)
        lib.TessBaseAPISetImage(engine, pixels, grey.width, grey.height, 1, grey.width)
        try:
            if lib.TessBaseAPIRecognize(engine, None) != 0:
                raise RuntimeError("Tesseract could not read the image")
            out = lib.TessBaseAPIGetHOCRText(engine, 0) if hocr else lib.TessBaseAPIGetTsvText(engine, 0)
            try:
                return ctypes.string_at(out).decode("utf-8") if out else ""
            finally:
                if out:
                    lib.TessDeleteText(out)
        finally:
            lib.TessBaseAPIClear(engine)
            for name, _ in variables:
                lib.TessBaseAPISetVariable(engine, name.encode(), DEFAULTS[name].encode())


def image_to_data(image: Image.Image, lang: str, config: str) -> TesseractData:
    """What ``pytesseract.image_to_data(image, lang, config, output_type=DICT)`` returns."""
    import pytesseract  # where used: pytesseract imports numpy if installed
    lib = _library()
    if lib is None:
        return cast(TesseractData, pytesseract.image_to_data(image, lang=lang, config=config,
                                                             output_type=pytesseract.Output.DICT))
    tsv = _read(lib, image, lang, config, hocr=False)
    return cast(TesseractData, pytesseract.pytesseract.file_to_dict(_TSV_HEADER + tsv, "\t", -1))


def image_to_hocr(image: Image.Image, lang: str, config: str) -> bytes:
    """The hOCR of ``image`` (its page element), as ``pytesseract.image_to_pdf_or_hocr`` reads it."""
    lib = _library()
    if lib is None:
        import pytesseract  # where used: pytesseract imports numpy if installed
        out = pytesseract.image_to_pdf_or_hocr(image, lang=lang, config=config, extension="hocr")
        return out if isinstance(out, bytes) else str(out).encode()
    return _read(lib, image, lang, config, hocr=True).encode("utf-8")
