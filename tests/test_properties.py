"""Property-based checks of the cleaning invariants over random and adversarial text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invariants import check_invariants
from pipeline import clean_text

BOILERPLATE = ["Advertisement", "Comments (0)", "Share this article", "Related Articles", "Read more",
               "Photo: Jane Doe", "https://example.org/a.png", "Sign up for our newsletter", "Home", "Privacy Policy",
               "March 12, 2024", "By Ana Costa", "Other Topics of Interest", "(AFP)", "© 2024 The Times"]
PROSE = ["The council voted on Tuesday to rebuild the old sea wall, which protected the town for a century.",
         "Engineers warned that a storm could breach the wall near the fish market, officials said.",
         "Residents welcomed the decision but asked for the quay to stay open to small boats. EFE",
         "Die Gemeinde beschloss am Dienstag, die alte Hafenmauer für 40 Millionen Euro zu erneuern."]
ADVERSARIAL = st.one_of(
    st.integers(1, 3000).map(lambda n: "a" * n),
    st.integers(1, 2000).map(lambda n: "(" * n + ")" * (n // 2)),
    st.integers(1, 1000).map(lambda n: "http://" + "a/" * n),
    st.integers(1, 500).map(lambda n: "EFE-EPA/" + "ABC DEF/" * n),
    st.integers(1, 500).map(lambda n: "By " + "Ann " * n),
)
LINE = st.one_of(st.sampled_from(BOILERPLATE), st.sampled_from(PROSE), st.text(max_size=80), ADVERSARIAL)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LINE, st.sampled_from(["\n", "\n\n", "\r\n", "\n\n\n"])), max_size=40))
def test_invariants_hold_on_random_documents(lines):
    text = "".join(line + sep for line, sep in lines)
    check_invariants(clean_text(text), source_text=text)


# The two speed-ups below must give exactly the answers of the slow forms they replace.
MOJIBAKE_ALPHABET = st.sampled_from(list("abc AZ.,!?/()-:\u00c3\u00c2\u00a9\u00a0\u00e2\u20ac\u2122\u0153\u00e9\u00b0\u00d8\u00d9"
                                         "\u0412\u0413\u0420\u00bb\u201d\u2019\u2013\u00b2\u00ef\u00bf\u00bd\u00f0\u0178"))


@settings(max_examples=400, deadline=None)
@given(st.text(MOJIBAKE_ALPHABET, max_size=40) | st.text(max_size=40))
def test_windowed_badness_equals_ftfy(line):
    from ftfy.badness import is_bad

    from pipeline.repair import _looks_bad

    assert _looks_bad(line) == is_bad(line)

