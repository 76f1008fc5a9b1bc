"""vCard 3.0 (RFC 2426) for colleagues and contacts, correct for Chinese names."""

from __future__ import annotations

from collections.abc import Iterable

COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里")
MAX_LINE_OCTETS = 75


def escape(value: str | None) -> str:
    text = (value or "").replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def split_name(name: str) -> tuple[str, str]:
    """(family, given): 王小明 → (王, 小明); 欧阳娜娜 → (欧阳, 娜娜); Ada Lovelace → (Lovelace, Ada)."""
    name = name.strip()
    if _is_cjk(name) and " " not in name:
        surname_len = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:surname_len], name[surname_len:]
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return parts[-1], " ".join(parts[:-1])


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode())
        if size + width > MAX_LINE_OCTETS:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def vcard(
    name: str,
    *,
    org: str | None = None,
    title: str | None = None,
    phones: Iterable[tuple[str, str]] = (),
    email: str | None = None,
    address: str | None = None,
    url: str | None = None,
    note: str | None = None,
) -> str:
    """One vCard; `phones` are (type, number) pairs such as ("CELL", "+8613800138000")."""
    family, given = split_name(name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{escape(family)};{escape(given)};;;", f"FN:{escape(name)}"]
    if org:
        lines.append(f"ORG:{escape(org)}")
    if title:
        lines.append(f"TITLE:{escape(title)}")
    for kind, number in phones:
        if number:
            lines.append(f"TEL;TYPE={kind}:{escape(number)}")
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{escape(email)}")
    if address:
        lines.append(f"ADR;TYPE=WORK:;;{escape(address)};;;;")
    if url:
        lines.append(f"URL:{escape(url)}")
    if note:
        lines.append(f"NOTE:{escape(note)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
