"""What people type into a search box, turned into a `ParsedQuery` that no engine can choke on.

The rules, in the words the help text uses:

* words are looked for anywhere (any of them may match; the more, the better the rank);
* "words in quotes" must appear together, in that order;
* a word ending in * finds every word that starts with it (at least two letters first);
* -word leaves out everything that contains the word;
* a word joined by punctuation (ninth-grade, e-mail, 3.5) is looked for as a phrase;
* everything else (operators, brackets, colons, stray quotes, symbols) is dropped.

A word is a run of letters and digits (Unicode), the same split SQLite's `unicode61`
tokenizer and Tantivy's simple tokenizer make. Nothing here ever raises: any text gives a
`ParsedQuery`, and when nothing searchable is left its `message` says what to do. Engines
build their own query syntax from the parts, always quoting each word themselves, so user
text never reaches FTS5's MATCH or PostgreSQL's to_tsquery as syntax.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from learnloop.search.engine import ParsedQuery

MAX_CHARS = 1000  # longer text is cut (the search box is for queries, not documents)
MAX_TERMS = 64  # words in all (terms, phrase words, prefixes, excluded)
MAX_WORD = 64  # longer "words" (hashes, base64) are dropped
MIN_PREFIX = 2  # letters before a star

WORD = re.compile(r"[^\W_]+")
# A quoted part (the closing quote may be missing), or a run of anything but space and quote.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|[^\s"]+')


def words(text: str) -> list[str]:
    """The lower-cased words of a text, as the parser and the index split them."""
    return [w for w in WORD.findall(text.lower()) if len(w) <= MAX_WORD]


def _clean(text: str | None) -> str:
    # Lone surrogates (possible in a Python str, never in UTF-8) would break the database
    # drivers and the page; replace them. NUL bytes are refused by PostgreSQL.
    text = (text or "").encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    return text


class _Builder:
    def __init__(self) -> None:
        self.terms: list[str] = []
        self.phrases: list[tuple[str, ...]] = []
        self.prefixes: list[str] = []
        self.excluded: list[str] = []
        self.count = 0
        self.capped = False

    def _room(self, n: int) -> bool:
        if self.count + n > MAX_TERMS:
            self.capped = True
            return False
        self.count += n
        return True

    def term(self, word: str) -> None:
        if word not in self.terms and self._room(1):
            self.terms.append(word)

    def phrase(self, tokens: list[str]) -> None:
        if len(tokens) == 1:
            self.term(tokens[0])
        elif tokens and tuple(tokens) not in self.phrases and self._room(len(tokens)):
            self.phrases.append(tuple(tokens))

    def prefix(self, word: str) -> None:
        if word not in self.prefixes and self._room(1):
            self.prefixes.append(word)

    def exclude(self, word: str) -> None:
        if word not in self.excluded and self._room(1):
            self.excluded.append(word)


def parse(text: str | None) -> ParsedQuery:
    """Parse what someone typed. Never raises."""
    raw = _clean(text)
    cut = len(raw) > MAX_CHARS
    b = _Builder()
    for match in _CHUNK.finditer(raw[:MAX_CHARS]):
        quoted = match.group(2)
        if quoted is not None:
            tokens = words(quoted)
            if match.group(1):  # -"a phrase": leave out a single word; a phrase is dropped
                if len(tokens) == 1:
                    b.exclude(tokens[0])
            else:
                b.phrase(tokens)
            continue
        chunk = match.group(0)
        negative = chunk.startswith("-") and len(chunk) > 1
        star = chunk.endswith("*")
        tokens = words(chunk)
        if not tokens:
            continue
        if negative:
            if len(tokens) == 1:
                b.exclude(tokens[0])
            continue
        # The star belongs to the word right before it ("famil*"), not to "famil.*".
        if (
            star
            and len(tokens[-1]) >= MIN_PREFIX
            and chunk.rstrip("*").lower().endswith(tokens[-1])
        ):
            b.phrase(tokens[:-1])
            b.prefix(tokens[-1])
        else:
            b.phrase(tokens)
    message = ""
    if not (b.terms or b.phrases or b.prefixes):
        if b.excluded:
            message = _("Add a word to look for, not only words to leave out.")
        else:
            message = _("Type a word to search.")
    elif b.capped or cut:
        message = _("That is a long search: only its first %(n)d words were used.") % {"n": b.count}
    return ParsedQuery(
        raw=raw[: MAX_CHARS * 2],
        terms=tuple(b.terms),
        phrases=tuple(b.phrases),
        prefixes=tuple(b.prefixes),
        excluded=tuple(b.excluded),
        message=message,
    )


def positive_words(query: ParsedQuery) -> list[str]:
    """Every word the query looks for (terms, phrase words, prefixes), in order, once."""
    seen: list[str] = []
    for w in [*query.terms, *(w for p in query.phrases for w in p), *query.prefixes]:
        if w not in seen:
            seen.append(w)
    return seen


def as_text(query: ParsedQuery) -> str:
    """The query as plain words, for the semantic layer (which knows no syntax)."""
    return " ".join(positive_words(query))


def with_last_word_as_prefix(text: str) -> ParsedQuery:
    """For suggestions while typing: the last word is probably unfinished, so it also
    matches longer words ("attend" finds "attendance")."""
    query = parse(text)
    raw = query.raw
    if query.is_empty or not raw or raw[-1].isspace() or raw.rstrip().endswith('"'):
        return query
    tokens = words(raw)
    last = tokens[-1] if tokens else ""
    if len(last) < MIN_PREFIX or last in query.prefixes or last in query.excluded:
        return query
    prefixes = (*query.prefixes, last)
    terms = tuple(t for t in query.terms if t != last)
    return ParsedQuery(
        raw=query.raw,
        terms=terms,
        phrases=query.phrases,
        prefixes=prefixes,
        excluded=query.excluded,
        message=query.message,
    )
