"""Sentences of a made-up harbour story, shared by the HTML recovery tests."""

SENTENCES = [
    "The harbour board met on Tuesday to decide how the old sea wall should be rebuilt before the winter storms arrive.",
    "Engineers told the board that the northern section had cracked in two places and that water was reaching the market.",
    "The mayor said the town could not wait another year, because the insurer would stop covering the quay in March.",
    "Residents who live along the front asked for the footpath to stay open, so that children can walk to the school.",
    "The contractor expects to finish the first stretch by the end of February, and the second before the summer.",
]


def words(n: int, word: str = "word") -> str:
    return " ".join(f"{word}{i}" for i in range(n)) + "."
