"""Read one article file and check it against resources/library/README.md.

Validation is strict and reports every problem it finds in a file, not just the
first, so a writer can fix a file in one go. A file with any problem is not
loaded at all: a half-valid article could be cited without its sources.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from .content import content_problems
from .model import BUILTIN, LANGUAGES, Article, CheckQuestion, Problem, Section, Source

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FENCE = "+++"
MIN_SECTIONS, MAX_SECTIONS = 3, 7
MIN_CHECKS, MAX_CHECKS = 2, 3
STRINGS = ("id", "language", "title", "summary", "reviewed_by")
STRING_LISTS = ("keywords", "synonyms")
KNOWN_FIELDS = {*STRINGS, *STRING_LISTS, "last_reviewed", "sources", "check", "questions"}
# questions = ["…"]: common patient questions the article answers, offered as
# buttons that ask them (optional for a clinic's articles; every built-in has them).
MIN_ASKED, MAX_ASKED = 3, 5
MAX_ASKED_CHARS = 120


def split_front_matter(text: str) -> tuple[str, str] | None:
    """``(front matter, body)``, or None when the file does not open with ``+++``."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:])
    return None


def split_sections(body: str) -> tuple[str, list[tuple[str, str]]]:
    """``(text before the first heading, [(heading, text), ...])``, split at ``## ``."""
    lead: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            lead.append(line)
    return "\n".join(lead).strip(), [(h, "\n".join(t).strip()) for h, t in sections]


def _check_fields(data: dict, problems: list[str]) -> None:
    for name in sorted(set(data) - KNOWN_FIELDS):
        problems.append(f"unknown field {name!r} (a typo?)")
    for name in STRINGS:
        value = data.get(name)
        if value is None:
            problems.append(f"missing field {name!r}")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{name!r} must be a non-empty string")
    for name in STRING_LISTS:
        value = data.get(name)
        if value is None:
            problems.append(f"missing field {name!r}")
        elif not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            problems.append(f"{name!r} must be a list of non-empty strings")
    if isinstance(data.get("keywords"), list) and not data["keywords"]:
        problems.append("'keywords' must name at least one term")
    reviewed = data.get("last_reviewed")
    if reviewed is None:
        problems.append("missing field 'last_reviewed'")
    elif isinstance(reviewed, dt.datetime) or not isinstance(reviewed, dt.date):
        problems.append("'last_reviewed' must be a TOML date such as 2026-11-29 (no quotes)")


def _check_sources(data: dict, problems: list[str]) -> None:
    sources = data.get("sources")
    if sources is None:
        problems.append("missing [[sources]]: every article names the pages its facts came from")
        return
    if not isinstance(sources, list) or not sources:
        problems.append("'sources' must be one or more [[sources]] tables")
        return
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            problems.append(f"source {number} must be a [[sources]] table")
            continue
        title, url = source.get("title"), source.get("url")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"source {number} needs a non-empty 'title'")
        if not isinstance(url, str) or not is_https_url(url):
            problems.append(f"source {number} needs an https:// 'url' (got {url!r})")
        for name in sorted(set(source) - {"title", "url"}):
            problems.append(f"source {number} has an unknown field {name!r}")


def _check_questions(data: dict, problems: list[str]) -> None:
    checks = data.get("check")
    if not isinstance(checks, list) or not MIN_CHECKS <= len(checks) <= MAX_CHECKS:
        count = len(checks) if isinstance(checks, list) else 0
        problems.append(f"needs {MIN_CHECKS} to {MAX_CHECKS} [[check]] questions, has {count}")
        return
    for number, check in enumerate(checks, start=1):
        if not isinstance(check, dict):
            problems.append(f"check question {number} must be a [[check]] table")
            continue
        for name in ("question", "answer"):
            value = check.get(name)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"check question {number} needs a non-empty {name!r}")
        for name in sorted(set(check) - {"question", "answer"}):
            problems.append(f"check question {number} has an unknown field {name!r}")


def _asked_questions(data: dict, problems: list[str]) -> None:
    asked = data.get("questions")
    if asked is None:
        return
    if (not isinstance(asked, list) or not MIN_ASKED <= len(asked) <= MAX_ASKED
            or not all(isinstance(q, str) and q.strip() for q in asked)):
        problems.append(f"questions must be a list of {MIN_ASKED} to {MAX_ASKED} questions "
                        "in quotes")
        return
    for question in asked:
        if len(question.strip()) > MAX_ASKED_CHARS:
            problems.append(f"question {question[:40]!r}… is longer than {MAX_ASKED_CHARS} "
                            "characters: a button must be short")
    if len({q.strip() for q in asked}) != len(asked):
        problems.append("questions lists a question twice")


def is_https_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in url)


def _check_body(lead: str, sections: list[tuple[str, str]], problems: list[str]) -> None:
    if lead:
        problems.append("text before the first '## ' heading (every passage needs a heading)")
    if not MIN_SECTIONS <= len(sections) <= MAX_SECTIONS:
        problems.append(
            f"needs {MIN_SECTIONS} to {MAX_SECTIONS} '## ' sections, has {len(sections)}"
        )
    seen = set()
    for number, (heading, text) in enumerate(sections, start=1):
        if not heading:
            problems.append(f"section {number} has an empty heading")
        elif heading.casefold() in seen:
            problems.append(f"section heading {heading!r} is used twice")
        seen.add(heading.casefold())
        if not text:
            problems.append(f"section {heading or number!r} is empty")


def _check_content(data: dict, sections: list[tuple[str, str]], problems: list[str]) -> None:
    texts = [("the title", data.get("title")), ("the summary", data.get("summary"))]
    texts += [(f"section {h!r}", f"{h}\n{t}") for h, t in sections]
    for number, check in enumerate(data.get("check") or [], start=1):
        if isinstance(check, dict):
            texts.append((f"check question {number}",
                          f"{check.get('question', '')}\n{check.get('answer', '')}"))
    for where, text in texts:
        if isinstance(text, str):
            problems += content_messages(where, text)


def content_messages(where: str, text: str) -> list[str]:
    """Each content rule ``text`` breaks (``content_problems``), said for ``where``."""
    return [f"{where} has {found}: articles never give doses, statistics or phone numbers"
            for found in content_problems(text)]


def read_front_matter(path: Path) -> tuple[dict, str] | Problem:
    """``(front matter as TOML data, body)`` of a library file, or why it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Problem(path, f"cannot read the file as UTF-8 text: {error}")
    split = split_front_matter(text)
    if split is None:
        return Problem(path, "no front matter: the file must start with a '+++' line "
                             "and the front matter must end with another")
    front, body = split
    try:
        return tomllib.loads(front), body
    except tomllib.TOMLDecodeError as error:
        return Problem(path, f"front matter is not valid TOML: {error}")


def parse_article(path: Path, origin: str = BUILTIN) -> tuple[Article | None, list[Problem]]:
    """The article in ``path`` (``<lang>/<id>.md``), or None and what is wrong with it."""
    problems: list[str] = []
    read = read_front_matter(path)
    if isinstance(read, Problem):
        return None, [read]
    data, body = read

    _check_fields(data, problems)
    article_id, language = data.get("id"), data.get("language")
    if isinstance(article_id, str):
        if not ID_PATTERN.fullmatch(article_id):
            problems.append(f"id {article_id!r} must be lowercase letters, digits and hyphens")
        if article_id != path.stem:
            problems.append(f"id {article_id!r} must equal the file name {path.stem!r}")
    if isinstance(language, str):
        if language not in LANGUAGES:
            problems.append(f"language {language!r} must be one of {', '.join(LANGUAGES)}")
        if language != path.parent.name:
            problems.append(f"language {language!r} must equal the folder name "
                         f"{path.parent.name!r}")
    _check_sources(data, problems)
    _check_questions(data, problems)
    _asked_questions(data, problems)
    lead, sections = split_sections(body)
    _check_body(lead, sections, problems)
    _check_content(data, sections, problems)

    if problems:
        return None, [Problem(path, message) for message in problems]
    return Article(
        id=article_id,
        language=language,
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        keywords=tuple(k.strip() for k in data["keywords"]),
        synonyms=tuple(s.strip() for s in data["synonyms"]),
        last_reviewed=data["last_reviewed"],
        reviewed_by=data["reviewed_by"].strip(),
        sources=tuple(Source(s["title"].strip(), s["url"].strip()) for s in data["sources"]),
        check=tuple(CheckQuestion(c["question"].strip(), c["answer"].strip())
                    for c in data["check"]),
        sections=tuple(Section(h, t) for h, t in sections),
        path=path,
        origin=origin,
        questions=tuple(q.strip() for q in data.get("questions") or ()),
    ), []
