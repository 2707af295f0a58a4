"""Line shape in every script: words, sentence ends, headline look."""
import pytest

from pipeline.text.blocks import word_count
from pipeline.text.shape import ends_sentence, is_headline, is_prose, is_word_salad

ZH_PARAGRAPH = "新华网长春12月9日电 据吉林省有关部门最新提供的消息，9日下午在吉林省榆树市境内发生的车祸，除造成2名香港籍游客死亡外，还造成38人受伤。"


@pytest.mark.parametrize("text, words", [
    ("The minister spoke on Tuesday.", 5),
    ("中国新闻", 2),  # two Han characters weigh about a word
    ("記者 田中 太郎", 3),
    ("新华网 2011 年", 4),
    ("ภาษาไทยเป็นภาษา", 4),  # Thai: a word every four letters
    ("Привет мир", 2),
])
def test_words_in_every_script(text, words):
    assert word_count(text) == words


def test_a_long_chinese_paragraph_is_prose():
    assert word_count(ZH_PARAGRAPH) > 25
    assert ends_sentence(ZH_PARAGRAPH) and is_prose(ZH_PARAGRAPH)
    assert not is_headline(ZH_PARAGRAPH)


@pytest.mark.parametrize("text", ["这是什么？", "ماذا حدث في المدينة؟", "Τι συμβαίνει στην Αθήνα;", "यह सच है।", "東京で会議が開かれた。」"])
def test_sentence_ends_of_other_scripts(text):
    assert ends_sentence(text)


def test_a_semicolon_ends_only_a_greek_question():
    assert not ends_sentence("first the one thing;")


@pytest.mark.parametrize("text", ["吉林境内车祸致36名香港游客受伤", "انفجار في وسط المدينة يوقع جرحى", "Взрыв в центре города"])
def test_headlines_of_scripts_without_case(text):
    assert is_headline(text)


def test_a_menu_of_chinese_sections_is_word_salad():
    assert is_word_salad("新闻 | 时政 | 法治 | 地方 | 社会 | 评论 | 国际 | 港澳 | 台湾")
    assert not is_word_salad(ZH_PARAGRAPH)
