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
