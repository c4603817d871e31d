"""Every validation rule of resources/library/README.md, on articles in tmp_path."""

from __future__ import annotations

import datetime as dt

import pytest

from chatapp.knowledge import CLINIC, content_problems, parse_article

SECTION = (
    "Drink water through the day. Eat fruit and vegetables. Move your body most days. "
    "Sleep well at night. Ask your nurse if you have questions about this topic."
)


def sections(*headings: str, text: str = SECTION) -> str:
    return "\n\n".join(f"## {h}\n\n{text}" for h in headings)


def problems_of(path) -> list[str]:
    article, problems = parse_article(path)
    assert article is None, "a file with a problem must not load"
    assert problems and all(p.path == path for p in problems)
    return [p.message for p in problems]


def test_a_valid_article_loads_with_every_field(write_article) -> None:
    path = write_article()
    article, problems = parse_article(path, CLINIC)
    assert problems == []
    assert article.id == "heel-pain" and article.language == "en"
    assert article.title == "Heel pain"
    assert article.keywords == ("plantar fasciitis", "heel pain")
    assert article.synonyms == ("sore heel", "heel hurts")
    assert article.last_reviewed == dt.date(2026, 11, 29)
    assert [s.url for s in article.sources] == ["https://www.nhs.uk/conditions/heel-pain/"]
    assert [c.question for c in article.check] == [
        "Is heel pain common?", "When should you see a doctor?"]
    assert [s.heading for s in article.sections] == ["Part one", "Part two", "Part three"]
    assert article.sections[0].text == SECTION
    assert article.origin == CLINIC and article.path == path
    assert article.body.startswith("## Part one\n\n")


def test_a_third_level_heading_stays_inside_its_section(write_article) -> None:
    body = sections("One", "Two", "Three").replace("## Two\n\n", "## Two\n\n### More\n\n")
    article, problems = parse_article(write_article(body=body))
    assert problems == [] and len(article.sections) == 3
    assert article.sections[1].text.startswith("### More")


FRONT_CASES = [
    # (what to replace in the front matter, with what, a piece of the message)
    ('id = "heel-pain"\n', "", "missing field 'id'"),
    ('language = "en"\n', "", "missing field 'language'"),
    ('title = "Heel pain"\n', "", "missing field 'title'"),
    ('summary = "A short summary of the topic."\n', "", "missing field 'summary'"),
    ('keywords = ["plantar fasciitis", "heel pain"]\n', "", "missing field 'keywords'"),
    ('synonyms = ["sore heel", "heel hurts"]\n', "", "missing field 'synonyms'"),
    ("last_reviewed = 2026-11-29\n", "", "missing field 'last_reviewed'"),
    ('reviewed_by = "CareChat editors"\n', "", "missing field 'reviewed_by'"),
    ('title = "Heel pain"', "title = 3", "'title' must be a non-empty string"),
    ('title = "Heel pain"', 'title = "  "', "'title' must be a non-empty string"),
    ('keywords = ["plantar fasciitis", "heel pain"]', 'keywords = "heel"',
     "'keywords' must be a list"),
    ('synonyms = ["sore heel", "heel hurts"]', 'synonyms = ["ok", 3]',
     "'synonyms' must be a list"),
    ('keywords = ["plantar fasciitis", "heel pain"]', "keywords = []", "at least one term"),
    ("last_reviewed = 2026-11-29", 'last_reviewed = "2026-11-29"', "must be a TOML date"),
    ("last_reviewed = 2026-11-29", "last_reviewed = 2026-11-29T10:00:00", "must be a TOML date"),
    ('id = "heel-pain"', 'id = "foot-pain"', "must equal the file name"),
    ('language = "en"', 'language = "zh"', "must equal the folder name"),
    ('language = "en"', 'language = "fr"', "must be one of en, zh"),
    ("https://www.nhs.uk", "http://www.nhs.uk", "needs an https:// 'url'"),
    ('url = "https://www.nhs.uk/conditions/heel-pain/"', 'url = "https:// nhs"',
     "needs an https:// 'url'"),
    ('url = "https://www.nhs.uk/conditions/heel-pain/"\n', "", "needs an https:// 'url'"),
    ('title = "Heel pain"\nurl', 'title = ""\nurl', "needs a non-empty 'title'"),
    ('answer = "When the pain does not get better."', "", "needs a non-empty 'answer'"),
    ('reviewed_by = "CareChat editors"', 'reviewed_by = "x"\nsynonym = ["a"]',
     "unknown field 'synonym'"),
]


@pytest.mark.parametrize(("old", "new", "message"), FRONT_CASES, ids=lambda v: str(v)[:30])
def test_each_front_matter_rule(write_article, make_text, old, new, message) -> None:
    text = make_text()
    assert old in text
    path = write_article(text.replace(old, new, 1))
    found = problems_of(path)
    assert any(message in m for m in found), found


def test_the_id_must_be_lowercase_letters_digits_and_hyphens(write_article, make_text) -> None:
    path = write_article(make_text(id="Heel_Pain"), name="Heel_Pain")
    assert any("lowercase letters, digits and hyphens" in m for m in problems_of(path))


def test_sources_are_required(write_article, make_text) -> None:
    text = make_text().replace(
        '[[sources]]\ntitle = "Heel pain"\nurl = "https://www.nhs.uk/conditions/heel-pain/"\n',
        "")
    assert any("missing [[sources]]" in m for m in problems_of(write_article(text)))


@pytest.mark.parametrize("count", [1, 4])
def test_two_or_three_check_questions(write_article, make_text, count) -> None:
    check = '[[check]]\nquestion = "Q?"\nanswer = "A."\n'
    front = make_text().split("+++")[1].split("[[check]]")[0] + check * count
    found = problems_of(write_article(make_text(front=front.lstrip("\n"))))
    assert any(f"has {count}" in m and "[[check]]" in m for m in found), found


def test_three_check_questions_are_fine(write_article, make_text) -> None:
    extra = '\n[[check]]\nquestion = "Q?"\nanswer = "A."\n'
    _, problems = parse_article(write_article(make_text(extra_front=extra)))
    assert problems == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (sections("One", "Two"), "needs 3 to 7 '## ' sections, has 2"),
        (sections(*"ABCDEFGH"), "needs 3 to 7 '## ' sections, has 8"),
        (sections("One", "Two", "Three") + "\n\n## Four\n\n", "section 'Four' is empty"),
        ("Some words first.\n\n" + sections("One", "Two", "Three"), "text before the first"),
        (sections("One", "Two", "one"), "is used twice"),
        (sections("One", "Two", "Three") + "\n\n## \n\nText here.", "has an empty heading"),
        ("No headings at all, just text.", "has 0"),
    ],
    ids=["two", "eight", "empty", "lead", "twice", "blank-heading", "none"],
)
def test_each_section_rule(write_article, body, message) -> None:
    found = problems_of(write_article(body=body))
    assert any(message in m for m in found), found


def test_seven_sections_are_fine(write_article) -> None:
    _, problems = parse_article(write_article(body=sections(*"ABCDEFG")))
    assert problems == []


@pytest.mark.parametrize(
    "text",
    [
        "+++\nid = 'x'\n",  # never closed
        "## A heading\n\nNo front matter at all.",
        "",
    ],
    ids=["unclosed", "missing", "empty"],
)
def test_front_matter_must_be_fenced(write_article, text) -> None:
    assert any("no front matter" in m for m in problems_of(write_article(text)))


def test_front_matter_must_be_valid_toml(write_article) -> None:
    text = "+++\nid = \"heel-pain\"\ntitle = unquoted words\n+++\n\n## A\n\nB"
    assert any("not valid TOML" in m for m in problems_of(write_article(text)))


def test_a_file_that_is_not_utf8_is_reported(write_article) -> None:
    path = write_article("x")
    path.write_bytes(b"+++\nid = \"\xff\xfe\"\n+++\n")
    assert any("UTF-8" in m for m in problems_of(path))


def test_every_problem_in_a_file_is_reported_at_once(write_article, make_text) -> None:
    text = make_text().replace("https://", "http://").replace('id = "heel-pain"', 'id = "x"')
    found = problems_of(write_article(text, body=None))
    assert len(found) >= 2


CONTENT_CASES = [
    ("Call 555 123 4567 for advice.", "a phone number"),
    ("Ring +44 20 7946 0958 today.", "a phone number"),
    ("Call 911 now.", "an emergency number"),
    ("In the UK call 999.", "an emergency number"),
    ("Ring 111 for advice.", "an emergency number"),
    ("拨打120急救电话。", "an emergency number"),
    ("Take 500 mg twice a day.", "a dose"),
    ("Take 500mg twice a day.", "a dose"),
    ("Give 5 ml of the syrup.", "a dose"),
    ("Take two tablets with water.", "a dose"),
    ("Use 2 puffs of your inhaler.", "a dose"),
    ("每次吃2片。", "a dose"),
    ("每次五百毫克。", "a dose"),
    ("About 50% of people get better.", "a percentage"),
    ("About 50 percent of people get better.", "a percentage"),
    ("大约百分之三十的人。", "a percentage"),
    ("About 1 in 4 adults have it.", "a statistic"),
    ("A reading of 140/90 is high.", "a reading"),
]


@pytest.mark.parametrize(("text", "what"), CONTENT_CASES, ids=lambda v: str(v)[:24])
def test_content_rules_find_doses_numbers_and_statistics(text, what) -> None:
    assert any(p.startswith(what) for p in content_problems(text)), content_problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "Call your emergency number.",
        "Wash your hands for at least 20 seconds.",
        "Type 2 diabetes and COVID-19 are common.",
        "Follow the label, or ask your pharmacist how much to take.",
        "Eat 5 portions of fruit a day and rest for 2 weeks.",
        "A fever is 38C or higher.",
        "请拨打急救电话。按说明书服用。",
        "Take one step at a time.",
    ],
)
def test_content_rules_leave_plain_advice_alone(text) -> None:
    assert content_problems(text) == []


@pytest.mark.parametrize(
    ("where", "old", "new"),
    [
        ("the summary", "A short summary of the topic.", "Take 500 mg."),
        ("check question 1", "Yes. It often gets better with rest.", "Call 911."),
    ],
)
def test_content_rules_apply_to_front_matter_text(write_article, make_text, where, old,
                                                  new) -> None:
    found = problems_of(write_article(make_text().replace(old, new)))
    assert any(m.startswith(where) for m in found), found


def test_content_rules_apply_to_the_body(write_article) -> None:
    body = sections("One", "Two") + "\n\n## Three\n\n" + SECTION + " Take 400 mg."
    found = problems_of(write_article(body=body))
    assert any(m.startswith("section 'Three' has a dose") for m in found), found


def with_questions(make_text, questions: str) -> str:
    """An article whose front matter has ``questions = …`` (before its tables)."""
    return make_text().replace("\n[[sources]]", f"questions = {questions}\n\n[[sources]]", 1)


@pytest.mark.parametrize("questions, words", [
    ('["One?", "Two?"]', "3 to 5"),
    ('["A?", "B?", "C?", "D?", "E?", "F?"]', "3 to 5"),
    ('["A?", "B?", 3]', "3 to 5"),
    ('["A?", "A?", "B?"]', "twice"),
    ('["' + "x" * 121 + '", "B?", "C?"]', "longer than 120"),
])
def test_questions_are_checked(write_article, make_text, questions, words) -> None:
    from chatapp.knowledge import load_library

    path = write_article(with_questions(make_text, questions))
    library = load_library(path.parents[1])
    assert any(words in p.message for p in library.problems), library.problems


def test_questions_are_read_and_optional(write_article, make_text) -> None:
    from chatapp.knowledge import load_library

    asked = write_article(with_questions(
        make_text, '["Why does my heel hurt?", "How long does heel pain last?", "Can I run?"]'))
    article = load_library(asked.parents[1]).get("heel-pain", "en")
    assert article.questions == ("Why does my heel hurt?", "How long does heel pain last?",
                                 "Can I run?")
    plain = write_article(name="heel-pain", root=asked.parents[2] / "other")
    assert load_library(plain.parents[1]).get("heel-pain", "en").questions == ()
