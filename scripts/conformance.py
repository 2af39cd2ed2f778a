#!/usr/bin/env python3
"""The conformance map: every BCP 14 requirement of the RFCs dtls implements, and the tests that check it.

Three inputs, all checked in:
  docs/conformance/requirements.tsv  the requirement list, extracted from the RFC texts (`extract`)
  tests/**/*.cpp                     `// conformance: ID [ID...]` lines directly above a TEST/TEST_F/TEST_P
  docs/conformance/reasons.tsv       id, "n/a" or "untested", why: for requirements without a test

Commands (python3 standard library only):
  conformance.py extract SPECS_DIR   re-read the RFC texts in SPECS_DIR, rewrite requirements.tsv
  conformance.py generate            rewrite docs/conformance.md from the three inputs
  conformance.py check               fail (exit 1) when a marker names an unknown ID, a requirement has neither a
                                     test nor a reason, a requirement has both, a reason names an unknown ID, or
                                     docs/conformance.md is not what `generate` would write now. Needs no RFC text.

Requirement IDs are RFC, section and the ordinal of the keyword sentence within that section, e.g.
RFC6347-4.2.1-3 is the third sentence with a BCP 14 keyword in section 4.2.1 of RFC 6347. They stay the same as long
as the RFC text does, which is never (RFCs are not edited after publication).
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "docs" / "conformance" / "requirements.tsv"
REASONS = ROOT / "docs" / "conformance" / "reasons.tsv"
PAGE = ROOT / "docs" / "conformance.md"
TESTS = ROOT / "tests"

# Strongest first: a sentence's keyword is the strongest one it contains.
KEYWORDS = ["MUST NOT", "MUST", "SHALL NOT", "SHALL", "REQUIRED", "SHOULD NOT", "SHOULD"]
KEYWORD_RE = re.compile(r"\b(MUST NOT|MUST|SHALL NOT|SHALL|REQUIRED|SHOULD NOT|SHOULD)\b")
# RFC 2119: MUST, MUST NOT, SHALL, SHALL NOT and REQUIRED are the absolute requirements the coverage count is about.
ABSOLUTE = {"MUST", "MUST NOT", "SHALL", "SHALL NOT", "REQUIRED"}

# Which sections of each document are in scope. A section is in scope when its number starts with one of the
# prefixes (None: all numbered sections). Sections whose title is in SKIPPED_TITLES never are. The page repeats
# this, with the reasons, in SCOPE_NOTES.
SOURCES = [
    ("6347", "rfc6347.txt", None),
    ("9147", "rfc9147.txt", None),
    ("9146", "rfc9146.txt", None),
    ("5764", "rfc5764.txt", None),
    ("7627", "rfc7627.txt", None),
    ("8446", "rfc8446.txt", ["4", "5", "6", "7", "8", "9"]),
    ("9325", "rfc9325-source.md", ["3", "4", "5", "7"]),
]
SKIPPED_TITLES = {"references", "normative references", "informative references", "acknowledgments",
                  "acknowledgements", "iana considerations", "authors' addresses", "contributors"}

SCOPE_NOTES = """\
- **RFC 6347, RFC 9147, RFC 9146, RFC 5764, RFC 7627**: every numbered section and appendix except references,
  acknowledgments and IANA considerations (instructions to IANA, not to implementations).
- **RFC 8446**, the parts DTLS 1.3 (RFC 9147 section 1) takes from TLS 1.3: section 4 (handshake protocol), 5
  (record protocol: DTLS 1.3 replaces the framing of 5.1 and 5.2 but keeps the protection, nonce, padding and
  limits of 5.2 to 5.5; requirements about the TLS framing are marked n/a), 6 (alerts), 7 (key schedule, exporters),
  8 (0-RTT anti-replay) and 9 (mandatory-to-implement and compliance). Left out: sections 1 to 3 (introduction; the
  overview of section 2 restates section 4's requirements; the presentation language of 3), 10 and appendix E
  (security considerations and analysis, informative), 11 (IANA), appendix A (the state machine, informative),
  B (data structures, the normative text is in section 4), C (implementation notes; its random-number and
  certificate advice is also in RFC 9325) and D (backward compatibility with TLS 1.2 servers and middleboxes, which
  RFC 9147 section 5 replaces for DTLS: DTLS 1.3 has no middlebox compatibility mode).
- **RFC 9325** (BCP 195, from the draft-ietf-uta-rfc7525bis-11 source, the text the RFC was published from): its
  recommendations for TLS and DTLS, sections 3 (general), 4 (cipher suites), 5 (applicability) and 7 (security
  considerations). Left out: 1 and 2 (introduction, terminology), 6 (IANA), the appendices (history).
- Keywords: MUST, MUST NOT, SHALL, SHALL NOT, REQUIRED, SHOULD, SHOULD NOT, in capitals (RFC 2119, RFC 8174). A
  sentence with several keywords is one requirement, listed under its strongest keyword. The boilerplate that
  defines the keywords is not a requirement.
"""


# --- extraction from the RFC texts -------------------------------------------------------------------------------

TXT_HEADING = re.compile(r"^(?:Appendix )?((?:\d+|[A-Z])(?:\.\d+)*)\.?\s{1,2}(\S.*)$")
PAGE_FOOTER = re.compile(r"\[Page \d+\]\s*$")
PAGE_HEADER = re.compile(r"^(RFC|Internet-Draft) \d*.*\s(19|20)\d\d\s*$")


def txt_sections(text):
    """(number, title, body lines) of each section of a plain-text RFC, page breaks removed."""
    lines = text.replace("\r", "").split("\n")
    started = False
    sections = []
    current = None
    for line in lines:
        line = line.replace("\f", "")
        if PAGE_FOOTER.search(line) or PAGE_HEADER.match(line):
            continue
        match = TXT_HEADING.match(line)
        # A heading starts at column 0; the table of contents is indented. Section 1 starts the body.
        if match and (started or match.group(1) == "1") and not line.startswith(" "):
            started = True
            current = (match.group(1), match.group(2).strip(), [])
            sections.append(current)
            continue
        if current:
            current[2].append(line)
    return sections


MD_HEADING = re.compile(r"^(#+)\s+(.*?)\s*(\{#[^}]*\})?\s*$")


def md_sections(text):
    """(number, title, body lines) of each numbered section of a kramdown-rfc source (the `--- middle` part)."""
    body = text.split("\n--- middle", 1)[1].split("\n--- back", 1)[0]
    counters = []
    sections = []
    current = None
    in_code = False
    for line in body.split("\n"):
        if line.startswith("~~~") or line.startswith("```"):
            in_code = not in_code
        match = None if in_code else MD_HEADING.match(line)
        if match:
            level = len(match.group(1))
            counters = counters[:level]
            while len(counters) < level:
                counters.append(0)
            counters[level - 1] += 1
            current = (".".join(str(c) for c in counters), match.group(2), [])
            sections.append(current)
            continue
        if current:
            current[2].append(line)
    return sections


ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|cf|vs|Sec|Fig|al)\.$")


def sentences(lines):
    """The sentences of a section body: paragraphs joined, split after . ! ? followed by a capital or quote."""
    paragraphs = []
    current = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    result = []
    for paragraph in paragraphs:
        paragraph = re.sub(r"\s+", " ", paragraph)
        pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z\"(\[*{])", paragraph)
        sentence = ""
        for piece in pieces:
            sentence = f"{sentence} {piece}" if sentence else piece
            if ABBREVIATIONS.search(sentence):
                continue
            result.append(sentence)
            sentence = ""
        if sentence:
            result.append(sentence)
    return result


def in_scope(number, title, prefixes):
    if title.strip().lower() in SKIPPED_TITLES:
        return False
    if prefixes is None:
        return True
    return any(number == p or number.startswith(p + ".") for p in prefixes)


def extract(specs_dir):
    rows = []
    for rfc, filename, prefixes in SOURCES:
        text = (specs_dir / filename).read_text(encoding="utf-8-sig")
        sections = md_sections(text) if filename.endswith(".md") else txt_sections(text)
        for number, title, body in sections:
            if not in_scope(number, title, prefixes):
                continue
            ordinal = 0
            for sentence in sentences(body):
                found = KEYWORD_RE.findall(sentence)
                # The keyword definitions ("The key words "MUST", ... are to be interpreted...") are not requirements.
                if not found or re.search(r"key ?words", sentence, re.IGNORECASE):
                    continue
                ordinal += 1
                keyword = min(found, key=KEYWORDS.index)
                rows.append((f"RFC{rfc}-{number}-{ordinal}", rfc, number, keyword, sentence.replace("\t", " ")))
    REQUIREMENTS.parent.mkdir(parents=True, exist_ok=True)
    with REQUIREMENTS.open("w", encoding="utf-8") as out:
        out.write("# id\trfc\tsection\tkeyword\tsentence\n")
        out.write(f"# Written by `python3 scripts/conformance.py extract SPECS_DIR`; do not edit.\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} requirements written to {REQUIREMENTS.relative_to(ROOT)}")


# --- the checked-in inputs ---------------------------------------------------------------------------------------

def read_tsv(path, columns):
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            raise SystemExit(f"{path.relative_to(ROOT)}:{number}: {len(fields)} fields, expected {columns}")
        rows.append((number, fields))
    return rows


MARKER = re.compile(r"^\s*//\s*conformance:\s*(.*?)\s*$")
TEST_LINE = re.compile(r"^\s*TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)")


def read_markers(errors):
    """{id: [(test name, file:line)]} from the marker lines directly above TEST lines in tests/**/*.cpp."""
    markers = {}
    for path in sorted(TESTS.rglob("*.cpp")):
        lines = path.read_text(encoding="utf-8").split("\n")
        pending = []
        for number, line in enumerate(lines, 1):
            marker = MARKER.match(line)
            if marker:
                ids = marker.group(1).replace(",", " ").split()
                pending.extend((i, number) for i in ids)
                continue
            test = TEST_LINE.match(line)
            where = f"{path.relative_to(ROOT)}:{number}"
            if test and pending:
                for requirement, _ in pending:
                    markers.setdefault(requirement, []).append((f"{test.group(1)}.{test.group(2)}", where))
            elif pending:
                errors.append(f"{path.relative_to(ROOT)}:{pending[0][1]}: conformance marker not directly above "
                              "a TEST line")
            pending = []
    return markers


def load(errors):
    requirements = [fields for _, fields in read_tsv(REQUIREMENTS, 5)]
    known = {r[0] for r in requirements}
    reasons = {}
    for number, (requirement, kind, why) in read_tsv(REASONS, 3):
        where = f"{REASONS.relative_to(ROOT)}:{number}"
        if requirement not in known:
            errors.append(f"{where}: reason for {requirement}, which is not in requirements.tsv")
        if kind not in ("n/a", "untested"):
            errors.append(f"{where}: kind is {kind!r}, expected \"n/a\" or \"untested\"")
        if not why.strip():
            errors.append(f"{where}: no reason given for {requirement}")
        if requirement in reasons:
            errors.append(f"{where}: second reason for {requirement}")
        reasons[requirement] = (kind, why.strip())
    markers = read_markers(errors)
    for requirement, tests in sorted(markers.items()):
        if requirement not in known:
            for _, where in tests:
                errors.append(f"{where}: marker names {requirement}, which is not in requirements.tsv")
        elif requirement in reasons:
            errors.append(f"{tests[0][1]}: {requirement} has a test, but reasons.tsv says it is "
                          f"{reasons[requirement][0]}: delete the reason")
    for requirement in requirements:
        if requirement[0] not in markers and requirement[0] not in reasons:
            errors.append(f"{requirement[0]} ({requirement[3]}) has neither a test marker nor a line in reasons.tsv")
    return requirements, reasons, markers


# --- the page ----------------------------------------------------------------------------------------------------

def escape(text):
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render(requirements, reasons, markers):
    rfcs = []
    for r in requirements:
        if r[1] not in rfcs:
            rfcs.append(r[1])
    out = []
    out.append("# Conformance map: each RFC requirement and the test that checks it")
    out.append("")
    out.append("Written by `python3 scripts/conformance.py generate`; do not edit by hand. The `conformance_map`")
    out.append("test (`ctest -L docs`) fails when this page is out of date, when a test marker names a requirement")
    out.append("that does not exist, or when a requirement has neither a test nor a reason.")
    out.append("")
    out.append("Every sentence with a BCP 14 keyword in the documents below is one requirement, with an ID made of")
    out.append("the RFC, the section and the sentence's ordinal among the keyword sentences of that section:")
    out.append("`RFC6347-4.2.1-3` is the third in section 4.2.1 of RFC 6347. A test claims a requirement with a")
    out.append("line `// conformance: ID` directly above its `TEST(...)`; a requirement without a test has a line in")
    out.append("`docs/conformance/reasons.tsv` saying whether it does not apply to dtls (n/a) or is not tested yet")
    out.append("(untested), and why. The list is `docs/conformance/requirements.tsv`, extracted from the RFC texts")
    out.append("with `python3 scripts/conformance.py extract SPECS_DIR` (SPECS_DIR holds rfc6347.txt and the others).")
    out.append("")
    out.append("## Coverage")
    out.append("")
    out.append("Absolute requirements (MUST, MUST NOT, SHALL, SHALL NOT, REQUIRED) that apply to what dtls")
    out.append("implements, and how many of them a test checks; then the same for SHOULD and SHOULD NOT.")
    out.append("")
    out.append("| RFC | requirements | MUST-level that apply | with a test | % | SHOULD-level that apply | with a test |")
    out.append("|---|---|---|---|---|---|---|")

    def counts(rows):
        applicable = [r for r in rows if reasons.get(r[0], ("", ""))[0] != "n/a"]
        must = [r for r in applicable if r[3] in ABSOLUTE]
        should = [r for r in applicable if r[3] not in ABSOLUTE]
        must_tested = sum(1 for r in must if r[0] in markers)
        should_tested = sum(1 for r in should if r[0] in markers)
        percent = f"{100 * must_tested // len(must)}%" if must else "-"
        return len(rows), len(must), must_tested, percent, len(should), should_tested

    for rfc in rfcs:
        c = counts([r for r in requirements if r[1] == rfc])
        out.append(f"| [RFC {rfc}](#rfc-{rfc}) | {c[0]} | {c[1]} | {c[2]} | {c[3]} | {c[4]} | {c[5]} |")
    c = counts(requirements)
    out.append(f"| **all** | {c[0]} | {c[1]} | {c[2]} | {c[3]} | {c[4]} | {c[5]} |")
    deviations = [(r, reasons[r[0]][1]) for r in requirements
                  if r[0] in reasons and "deviates" in reasons[r[0]][1]]
    if deviations:
        out.append("")
        out.append("## Where dtls does not do what the RFC says")
        out.append("")
        out.append("Requirements whose reason says \"dtls deviates\": known differences, each untested because a test")
        out.append("of the requirement would fail.")
        out.append("")
        for r, why in deviations:
            out.append(f"- [{r[0]}](#{r[0]}) ({r[3]}): {escape(why)}")
    out.append("")
    out.append("## Scope")
    out.append("")
    out.extend(SCOPE_NOTES.rstrip("\n").split("\n"))
    for rfc in rfcs:
        out.append("")
        out.append(f"## RFC {rfc}")
        out.append("")
        out.append("| ID | keyword | requirement | test, or why there is none |")
        out.append("|---|---|---|---|")
        for requirement, _, _, keyword, sentence in (r for r in requirements if r[1] == rfc):
            if requirement in markers:
                status = "<br>".join(f"[`{name}`](../{where.split(':')[0]}#L{where.split(':')[1]})"
                                     for name, where in markers[requirement])
            elif requirement in reasons:
                kind, why = reasons[requirement]
                status = f"**{kind}**: {escape(why)}"
            else:
                status = "**missing**"
            out.append(f"| <a id=\"{requirement}\"></a>{requirement} | {keyword} | {escape(sentence)} | {status} |")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) == 3 and argv[1] == "extract":
        extract(pathlib.Path(argv[2]))
        return 0
    if len(argv) != 2 or argv[1] not in ("generate", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    errors = []
    requirements, reasons, markers = load(errors)
    page = render(requirements, reasons, markers)
    if argv[1] == "generate":
        PAGE.write_text(page, encoding="utf-8")
        print(f"{PAGE.relative_to(ROOT)} written")
    elif not PAGE.exists() or PAGE.read_text(encoding="utf-8") != page:
        errors.append(f"{PAGE.relative_to(ROOT)} is out of date: run python3 scripts/conformance.py generate")
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"conformance: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
