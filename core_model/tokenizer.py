"""The medfl tokenizer: a SentencePiece BPE model trained on de-identified site text.

Design choices
- LLaMA/Mistral-style SentencePiece BPE: byte fallback (no <unk> in practice: any byte sequence encodes),
  digits split into single tokens (numbers in labs and doses stay compositional), identity normalisation
  and no whitespace collapsing, so ``decode(encode(x)) == x`` for every string.
- Fixed special ids: <pad>=0 <s>=1 </s>=2 <unk>=3. Clinical section headers and the de-identification type
  tags (``[NAME]``, ``[DATE]``, ...) are user-defined symbols: always one token, never split or merged. The
  whitespace before them stays its own "▁" piece, as in any SentencePiece model.
- Two training inputs: running ``texts`` (centralised), or a ``word_counts`` mapping word -> count
  (federated tokenizer, issue 7: sites send only counts), fed as SentencePiece's ``input_format="tsv"``
  (``word<TAB>count``). BPE never merges across SentencePiece's pre-tokens, so counts of exactly those
  pre-tokens carry everything the trainer uses from the text. :func:`pretokenize` reproduces its split
  (a pre-token is a run of spaces plus the non-space run after it, so whitespace runs such as indentation
  are counted too) and :func:`count_words` counts it; trained from those counts, the tokenizer sees the
  same units as one trained on the texts.
- Deterministic: same input and vocab size -> byte-identical ``.model`` (fixed seed, fixed thread count,
  counts sorted), so the model's sha256 identifies a tokenizer in shards and checkpoints.
- Too small a corpus for the requested vocab raises MedflError with the largest size that would work,
  rather than silently returning a smaller vocab (SentencePiece's ``hard_vocab_limit=False``): the model's
  embedding table is sized from the same number, and a silent mismatch would surface much later.
- SentencePiece's own logging is silenced: its INFO lines print learned pieces, which are substrings of
  site text. Nothing here logs or raises with document text in it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import sentencepiece as spm

from medfl.core_model.atomic import write_atomic
from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

PAD_ID, BOS_ID, EOS_ID, UNK_ID = 0, 1, 2, 3
SECTION_HEADERS: tuple[str, ...] = (
    "[HISTORY]", "[ASSESSMENT]", "[PLAN]", "[MEDICATIONS]", "[ALLERGIES]", "[FINDINGS]", "[IMPRESSION]",
)
# Type tags written by de-identification in "tags" mode: medfl.privacy.deid.TAGS (a test keeps them equal;
# not imported here because that pulls in presidio).
DEID_TAGS: tuple[str, ...] = (
    "[NAME]", "[DATE]", "[AGE]", "[PHONE]", "[EMAIL]", "[SSN]", "[ID]", "[URL]", "[IP]", "[LOCATION]",
)
USER_DEFINED_SYMBOLS: tuple[str, ...] = SECTION_HEADERS + DEID_TAGS

# SentencePiece skips training sentences longer than max_sentence_length bytes; we cut lines below it.
_MAX_SENTENCE_BYTES = 8192
_SP_THREADS = 2  # fixed: it is recorded in the model file, and the file must not depend on the machine
_SP_SEED = 0


_PRETOKEN = re.compile(r" +[^ ]*")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # what str.splitlines() splits on


def pretokenize(text: str) -> list[str]:
    """SentencePiece's training pre-tokens of ``text``, as ``word_counts`` keys.

    Per line, SentencePiece prepends one space (dummy prefix) and starts a pre-token at every space that
    follows a non-space (``allow_whitespace_only_pieces``): "a   b" -> "▁a", "▁▁▁b". Keys drop that one
    leading space, which SentencePiece adds back to each TSV entry: "a", "  b". Tabs and other non-space
    characters belong to the word. Single trailing spaces (key "") are left out.
    """
    out = []
    for line in text.splitlines():
        out += [p[1:] for p in _PRETOKEN.findall(" " + line) if len(p) > 1]
    return out


def count_words(texts: Iterable[str]) -> Counter[str]:
    """Pre-token counts (:func:`pretokenize`) of documents, for ``train_tokenizer(word_counts=...)``."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(pretokenize(text))
    return counts


def train_tokenizer(
    *,
    out_path: str | Path,
    vocab_size: int,
    texts: Iterable[str] | None = None,
    word_counts: Mapping[str, int] | None = None,
    character_coverage: float = 0.9995,
    max_sentences: int = 10_000_000,
) -> Path:
    """Train the medfl SentencePiece BPE tokenizer and write it atomically to ``out_path``.

    Args:
        out_path: destination ``.model`` file (written via a temp file + rename; parents created).
        vocab_size: total vocabulary size including specials, headers, tags and the 256 byte tokens.
        texts: running text (documents); exactly one of ``texts`` / ``word_counts``.
        word_counts: pre-token -> positive count (:func:`count_words`; merged site counts). Any key without
            line breaks works (SentencePiece splits keys at spaces itself); keys holding a tab are skipped.
        character_coverage: share of characters kept as pieces; the rarest rest go to byte fallback.
        max_sentences: cap on training lines (a seeded sample is drawn above it; memory bound).

    Returns the written path.
    """
    if (texts is None) == (word_counts is None):
        raise ValueError("pass exactly one of texts= or word_counts=")
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of documents, not a single str")
    out_path = Path(out_path)
    min_vocab = 4 + 256 + len(USER_DEFINED_SYMBOLS)
    if vocab_size <= min_vocab:
        raise MedflError(f"vocab_size={vocab_size} is too small: specials, headers, tags and 256 byte tokens "
                         f"alone take {min_vocab}")

    stats = Counter()
    if texts is not None:
        sentences: Iterator[str] = _training_lines(texts, stats)
        fmt = "text"
    else:
        lines = _tsv_lines(word_counts, stats)
        stats["lines"] = len(lines)
        sentences = iter(lines)
        fmt = "tsv"

    buf = io.BytesIO()
    source = _Guarded(sentences)
    spm.set_random_generator_seed(_SP_SEED)
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(source),
            model_writer=buf,
            input_format=fmt,
            model_type="bpe",
            vocab_size=vocab_size,
            character_coverage=character_coverage,
            byte_fallback=True,
            split_digits=True,
            normalization_rule_name="identity",
            remove_extra_whitespaces=False,
            add_dummy_prefix=True,
            allow_whitespace_only_pieces=True,
            max_sentence_length=_MAX_SENTENCE_BYTES * 2,
            input_sentence_size=max_sentences,
            shuffle_input_sentence=True,
            pad_id=PAD_ID, bos_id=BOS_ID, eos_id=EOS_ID, unk_id=UNK_ID,
            pad_piece="<pad>", bos_piece="<s>", eos_piece="</s>", unk_piece="<unk>",
            user_defined_symbols=list(USER_DEFINED_SYMBOLS),
            num_threads=_SP_THREADS,
            minloglevel=2,  # INFO/WARNING lines print learned pieces (site text): keep them out of logs
        )
    except RuntimeError as e:
        if source.error is not None:  # the caller's iterator failed (e.g. a bad input file): re-raise that
            raise source.error from None
        raise _training_error(e, vocab_size, stats) from None
    model = buf.getvalue()

    Tokenizer.from_bytes(model, name=str(out_path))  # must load before it replaces anything
    write_atomic(out_path, model)
    log.info("trained tokenizer: vocab %d from %d %s, wrote %s (sha256 %s)", vocab_size, stats["lines"],
             "lines" if fmt == "text" else "word counts", out_path, hashlib.sha256(model).hexdigest()[:12])
    if stats["dropped_words"]:
        log.warning("skipped %d pre-tokens longer than %d bytes or (word counts) holding a tab",
                    stats["dropped_words"], _MAX_SENTENCE_BYTES)
    return out_path


class _Guarded:
    """Remembers an exception raised by the wrapped iterator: SentencePiece turns it into a RuntimeError."""

    def __init__(self, it: Iterator[str]):
        self.it = it
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[str]:
        try:
            yield from self.it
        except Exception as e:
            self.error = e
            raise


def _training_lines(texts: Iterable[str], stats: Counter) -> Iterator[str]:
    """Documents -> non-empty lines; long lines are cut between pre-tokens below SentencePiece's length
    limit, so the pieces it sees are exactly those of the uncut line."""
    for text in texts:
        for line in text.splitlines():
            if not line.strip():
                continue
            if len(line.encode()) <= _MAX_SENTENCE_BYTES:
                stats["lines"] += 1
                yield line
                continue
            chunk: list[str] = []
            size = 0
            for tok in _PRETOKEN.findall(" " + line):
                n = len(tok.encode())
                if n > _MAX_SENTENCE_BYTES:
                    stats["dropped_words"] += 1
                    continue
                if size + n > _MAX_SENTENCE_BYTES:
                    stats["lines"] += 1
                    yield "".join(chunk)[1:]  # SentencePiece re-adds the first space as its dummy prefix
                    chunk, size = [], 0
                chunk.append(tok)
                size += n
            if chunk:
                stats["lines"] += 1
                yield "".join(chunk)[1:]


def _tsv_lines(word_counts: Mapping[str, int], stats: Counter) -> list[str]:
    """Validated ``word<TAB>count`` lines, sorted so the result does not depend on mapping order."""
    items = []
    for i, (word, count) in enumerate(word_counts.items()):
        # Messages name the entry's position only: the word itself may be identifying.
        if not isinstance(word, str) or not word or not _LINE_BREAKS.isdisjoint(word):
            raise MedflError(f"word_counts entry #{i}: words must be non-empty strings without line breaks")
        if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
            raise MedflError(f"word_counts entry #{i}: count must be a positive int")
        if "\t" in word or len(word.encode()) > _MAX_SENTENCE_BYTES:
            stats["dropped_words"] += 1  # a tab would end the TSV field; rare enough to leave out
            continue
        items.append((word, count))
    items.sort(key=lambda wc: (-wc[1], wc[0]))
    return [f"{w}\t{c}" for w, c in items]


def _training_error(e: RuntimeError, vocab_size: int, stats: Counter) -> MedflError:
    msg = str(e)
    m = re.search(r"value <= (\d+)", msg)
    if m:
        return MedflError(f"vocab_size={vocab_size} is too large for this corpus: at most {m.group(1)} "
                          f"pieces can be learned; use a smaller vocab size or more text")
    if stats["lines"] == 0:
        return MedflError("no training text: every document was empty")
    # SentencePiece messages carry no corpus text, only sizes and option names.
    return MedflError(f"SentencePiece training failed: {msg.splitlines()[0][:300]}")


class Tokenizer:
    """A loaded SentencePiece model (ours or any other, e.g. Mistral v1 for comparisons).

    ``encode`` returns ids without <s>/</s> unless asked; the packer adds </s> between documents.
    Ids that a model lacks are -1 (SentencePiece's convention, e.g. Mistral v1 has no <pad>).
    """

    def __init__(self, sp: spm.SentencePieceProcessor, model: bytes, name: str):
        self._sp = sp
        self._model = model
        self.name = name
        self.sha256 = hashlib.sha256(model).hexdigest()

    @classmethod
    def load(cls, path: str | Path) -> Tokenizer:
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise MedflError(f"tokenizer model {path} does not exist") from None
        except OSError as e:
            raise MedflError(f"tokenizer model {path} cannot be read: {e.strerror}") from None
        return cls.from_bytes(data, name=str(path))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "<bytes>") -> Tokenizer:
        """Load from serialized model bytes (as shipped in the round-0 state or a checkpoint)."""
        sp = spm.SentencePieceProcessor()
        try:
            sp.LoadFromSerializedProto(data)
        except (RuntimeError, TypeError, OSError):
            sp = None
        if sp is None or sp.vocab_size() == 0:
            raise MedflError(f"tokenizer model {name} is not a valid SentencePiece model "
                             f"({len(data)} bytes; truncated or corrupt?)")
        return cls(sp, bytes(data), name)

    def to_bytes(self) -> bytes:
        return self._model

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        write_atomic(path, self._model)
        return path

    @property
    def vocab_size(self) -> int:
        return self._sp.vocab_size()

    def __len__(self) -> int:
        return self.vocab_size

    @property
    def pad_id(self) -> int:
        return self._sp.pad_id()

    @property
    def bos_id(self) -> int:
        return self._sp.bos_id()

    @property
    def eos_id(self) -> int:
        return self._sp.eos_id()

    @property
    def unk_id(self) -> int:
        return self._sp.unk_id()

    def encode(self, text: str, *, bos: bool = False, eos: bool = False) -> list[int]:
        return self._sp.encode(text, add_bos=bos, add_eos=eos)

    def encode_batch(self, texts: Sequence[str], *, bos: bool = False, eos: bool = False,
                     num_threads: int = -1) -> list[list[int]]:
        """Encode many texts in SentencePiece's C++ thread pool (-1: all cores)."""
        return self._sp.encode(list(texts), add_bos=bos, add_eos=eos, num_threads=num_threads)

    def decode(self, ids: Sequence[int]) -> str:
        return self._sp.decode(list(ids))

    def piece_to_id(self, piece: str) -> int:
        """Id of a vocabulary piece; the <unk> id if the piece is not in the vocabulary."""
        return self._sp.piece_to_id(piece)

    def id_to_piece(self, idx: int) -> str:
        return self._sp.id_to_piece(idx)

    def pieces(self, text: str) -> list[str]:
        return self._sp.encode(text, out_type=str)

    def __repr__(self) -> str:
        return f"Tokenizer({self.name!r}, vocab_size={self.vocab_size}, sha256={self.sha256[:12]})"
