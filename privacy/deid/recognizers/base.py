"""Shared machinery for medfl's clinical recognizers.

Design choices
- Every recognizer is a presidio `PatternRecognizer` subclass with its regexes in a `PATTERNS` class constant
  and its cue words in `CONTEXT`, so it registers, serialises and is listed like presidio's own recognizers.
- `analyze` is re-implemented (not presidio's `__analyze_patterns`): patterns are compiled ONCE per class with
  the stdlib `re` (faster than `regex` here and interruptible by the per-document SIGALRM timeout); a named
  group `phi` narrows the span to the identifier (a label "MRN:" is part of the pattern, not of the span); and
  `validate_match` sees the match and the text, so checksums AND local context can accept/reject a hit.
- Context works without an NLP pipeline: the analyzer runs a no-op NLP engine (no tokens, no lemmas), so
  presidio's lemma enhancer cannot see context words. `enhance_using_context` (a presidio hook) searches a
  character window before the hit with one compiled regex of `CONTEXT` words and boosts the score.
- Scores: a pattern that is PHI on its own scores >= 0.6; a weak pattern scores 0.3-0.4 and survives the
  engine's 0.5 threshold only with context (+CONTEXT_BOOST) or a passing checksum (-> 1.0).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

# Calendar words, shared by the name/unknown-word recognizers (never names) and date surrogates.
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
MONTH_ABBREVS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
WEEKDAY_ABBREVS = frozenset({"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"})


def _top_level_alternatives(alt: str) -> list[str]:
    """Split a regex alternation at its top-level "|" (not inside groups, classes or after a backslash)."""
    parts, cur, depth, in_class, escaped = [], [], 0, False, False
    for ch in alt:
        if escaped or in_class:
            in_class = in_class and not (ch == "]" and not escaped)
            escaped = False if escaped else ch == "\\"
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def lead(first: str, not_after: str) -> str:
    """`first` (a one-character class) not right after a character of the class body `not_after`: the same
    as "(?<![not_after])" + first, written so that a pattern that starts with it starts by consuming a
    character. The regex engine then skips ahead to that character instead of testing a look-behind at every
    position of the note (2-3x faster scans for digit- and capital-led patterns)."""
    return f"{first}(?<![{not_after}]{first})"


def by_first_letter(alt: str) -> str:
    """The same alternation of label words, for case-insensitive use, regrouped by first letter with each
    group led by a case-sensitive class ("mrn|mbi|acct" -> "(?-i:[mM])(?:rn|bi)|(?-i:[aA])(?:cct)"). The
    regex engine rejects a group on one character instead of trying each of 80 words at every word start
    (case-insensitive letters get no such shortcut). Alternatives that do not start with a plain letter come
    after the groups, in their order."""
    groups: dict[str, list[str]] = {}
    rest = []
    for part in _top_level_alternatives(alt):
        first, nxt = part[:1], part[1:2]
        if first.isascii() and first.isalpha() and nxt not in ("?", "*", "+", "{"):
            groups.setdefault(first.lower(), []).append(part[1:])
        else:
            rest.append(part)
    out = [f"(?-i:[{c}{c.upper()}])(?:{'|'.join(tails)})" for c, tails in groups.items()]
    return "|".join(out + rest)


@cache
def load_lexicon(name: str, *, lower: bool = True) -> frozenset[str]:
    """One entry per line from privacy/deid/lexicons/<name>; '#' starts a comment line."""
    text = resources.files("medfl.privacy.deid").joinpath("lexicons", name).read_text(encoding="utf-8")
    words = (ln.strip() for ln in text.splitlines())
    return frozenset((w.lower() if lower else w) for w in words if w and not w.startswith("#"))


class MedflPatternRecognizer(PatternRecognizer):
    """Base class: PATTERNS = [(name, regex, score)], CONTEXT = [cue words]; override `validate_match`."""

    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = []
    CONTEXT: ClassVar[list[str]] = []
    CONTEXT_WINDOW: ClassVar[int] = 40  # characters before the hit searched for CONTEXT words
    CONTEXT_BOOST: ClassVar[float] = 0.35
    FLAGS: ClassVar[int] = re.MULTILINE
    # pattern name -> lower-case substrings, one of which the text must contain for that pattern to run: a
    # cheap `in` test that spares a regex scan of every note for a rare form ("[at]" e-mails, UDI brackets)
    GATES: ClassVar[dict[str, tuple[str, ...]]] = {}
    # a regex the text must match for any pattern of the class to run: one scan that spares all of them in
    # notes that cannot hold the entity (no number 90-125: no age over 89)
    REQUIRE: ClassVar[str | None] = None

    _compiled_cache: ClassVar[dict[type, tuple]] = {}

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        assert self.ENTITY, f"{type(self).__name__} must set ENTITY"
        patterns = [Pattern(name=n, regex=rx, score=s) for n, rx, s in self.PATTERNS]
        super().__init__(
            supported_entity=self.ENTITY,
            name=name,
            supported_language=supported_language,
            patterns=patterns,
            context=list(self.CONTEXT),
            global_regex_flags=self.FLAGS,
        )
        cls = type(self)
        if cls not in MedflPatternRecognizer._compiled_cache:  # compile once per class, not per instance
            compiled = [(n, re.compile(rx, self.FLAGS), s) for n, rx, s in self.PATTERNS]
            ctx = None
            if self.CONTEXT:
                ctx = re.compile(
                    r"(?i)(?<![A-Za-z])(?:" + "|".join(map(re.escape, self.CONTEXT)) + r")(?![A-Za-z])"
                )
            req = re.compile(self.REQUIRE, self.FLAGS) if self.REQUIRE else None
            MedflPatternRecognizer._compiled_cache[cls] = (compiled, ctx, req)
        self._compiled, self._context_re, self._require = MedflPatternRecognizer._compiled_cache[cls]

    def validate_match(self, pattern: str, value: str, match: re.Match, text: str) -> bool | None:
        """True: certainly PHI (score 1.0); False: drop; None: keep the score. `pattern`: its name."""
        return None

    def _result(self, start: int, end: int, score: float, pattern_name: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                "pattern": pattern_name,
            },
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None
    ) -> list[RecognizerResult]:
        results = []
        if self._require is not None and self._require.search(text) is None:
            return results
        low = text.lower() if self.GATES else ""
        for pname, rx, score in self._compiled:
            gate = self.GATES.get(pname)
            if gate and not any(g in low for g in gate):
                continue
            has_group = "phi" in rx.groupindex
            for m in rx.finditer(text):
                start, end = m.span("phi") if has_group else m.span()
                if start < 0 or start == end:
                    continue
                verdict = self.validate_match(pname, text[start:end], m, text)
                if verdict is False:
                    continue
                results.append(self._result(start, end, 1.0 if verdict else score, pname))
        return results

    def has_context(self, text: str, start: int, window: int | None = None) -> bool:
        if self._context_re is None:
            return False
        w = self.CONTEXT_WINDOW if window is None else window
        return self._context_re.search(text, max(0, start - w), start) is not None

    def enhance_using_context(
        self, text, raw_recognizer_results, other_raw_recognizer_results, nlp_artifacts, context=None
    ) -> list[RecognizerResult]:
        for r in raw_recognizer_results:
            if r.score < 1.0 and self.has_context(text, r.start):
                r.score = min(1.0, r.score + self.CONTEXT_BOOST)
                r.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results
