"""Split repaired text into blocks (one per non-empty line) and join kept blocks back."""
from __future__ import annotations

from ..model import Block
from .shape import is_unspaced, unspaced_words


def split_blocks(text: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    para = 0
    previous_blank = True
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            previous_blank = True
            continue
        if previous_blank and blocks:
            para += 1
        previous_blank = False
        blocks.append(Block(len(blocks), line, para, number, word_count(line)))
    return tuple(blocks)


def word_count(line: str) -> int:
    """Words, in any script: the space-separated words, but in a script written without spaces
    two characters count as a word (Chinese, Japanese) or four letters (Thai, Lao, Khmer,
    Burmese) (``shape.unspaced_words``). (Asked line by line: an ASCII line costs nothing, and
    a text's other lines are not scanned again as a whole.)"""
    if is_unspaced(line):
        return unspaced_words(line)
    # ``len(line.split())``. A printable line holds no white space but " ", and a repaired line
    # has single spaces and none at its ends: its words are its spaces and one.
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line.count(" ") + 1 if line else 0
    return len(line.split())


def join_blocks(blocks: list[Block], texts: list[str]) -> str:
    """Kept lines of one paragraph are joined by a line break, paragraphs by one blank line.

    ``texts`` holds each block's text after span removals (same order as ``blocks``).
    The result has one final newline, or is empty.
    """
    paragraphs: list[list[str]] = []
    last_para = None
    for block, text in zip(blocks, texts):
        if not text:
            continue
        if block.para != last_para:
            paragraphs.append([])
            last_para = block.para
        paragraphs[-1].append(text)
    if not paragraphs:
        return ""
    return "\n\n".join("\n".join(lines) for lines in paragraphs) + "\n"
