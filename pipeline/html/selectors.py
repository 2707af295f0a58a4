"""trafilatura's tree selectors, evaluated in Python with the same results, faster.

trafilatura prunes its tree, and looks for the article's element, with XPath expressions of one
shape: ``.//*[self::div or ...][...]``,
whose predicates test an element's attributes with ``contains``, ``starts-with``, ``translate``,
``=`` and the EXSLT ``re:test``. lxml evaluates every ``re:test`` as a call back into Python
(several per element), and these expressions took a large share of trafilatura's time.
``compile_xpath`` reads such an expression and builds a Python function that walks the same
elements in the same (document) order and applies the same tests; an element's verdict is
looked up by its attributes, which repeat on a page, before it is worked out.

The translation follows XPath 1.0 and lxml exactly where these expressions need it:
- an attribute union (``@id|@class``) used as a string is the first of those attributes in
  source order, or "" when none is present (``string()`` of a node-set; lxml's ``re:test`` also
  takes the first node);
- ``@a = 'v'`` holds when the attribute exists and equals v; a bare ``@a`` when it exists;
- ``re:test(s, p)`` is ``re.search(p, s)`` with no flags, as lxml compiles it;
- ``re:test(s, p, flags)`` ignores case when the flags hold "i" (lxml reads no other flag);
- ``self::name`` compares the tag; ``.//name`` asks for such a descendant;
- a last ``[1]`` keeps the first passing child of each parent (``[1]`` counts among the
  siblings that passed the tests before it), ``(...)[1]`` the first passing element of all.
Anything else in an expression (another function, an axis, another position, a union of paths)
makes ``compile_xpath`` return None, and the XPath is used as it is. Tests compare both on every
HTML fixture and on random trees, and all bench pages give byte-identical output either way.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from lxml import etree

REGEXP_NS = "http://exslt.org/regular-expressions"

_TOKEN = re.compile(r"""\s*(?:('[^']*')|(\.//\*|\.//)|(::)|([\[\]\(\),|=@])|(\d+)|([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?))""")


class Unsupported(Exception):
    """The expression uses something this translation does not cover."""


def _tokens(path: str) -> list[str]:
    tokens, at = [], 0
    while at < len(path):
        m = _TOKEN.match(path, at)
        if m is None or m.end() == at:
            if path[at:].strip():
                raise Unsupported(f"cannot read {path[at:at + 20]!r}")
            break
        tokens.append(next(g for g in m.groups() if g is not None))
        at = m.end()
    return tokens


@dataclass(frozen=True)
class _Shape:
    tags: tuple[str, ...] | None  # the elements looked at: these tags, or all
    predicates: tuple  # the tests each must pass (besides the tag)
    first_child: bool  # only the first element that passes among each parent's children
    first_only: bool  # only the first element that passes in the whole walk


# A compiled predicate takes (element, attributes as an ordered dict) and returns a bool.
Predicate = Callable[[object, dict], bool]
# A compiled string argument takes the attributes and returns a str.
StringOf = Callable[[dict], str]


class _Parser:
    def __init__(self, path: str, namespaces: dict | None):
        self.tokens = _tokens(path)
        self.at = 0
        self.regexp_prefixes = {p for p, uri in (namespaces or {}).items() if uri == REGEXP_NS}

    def peek(self, offset: int = 0) -> str | None:
        i = self.at + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unsupported(f"expected {expected!r}, found {token!r}")
        self.at += 1
        return token

    def string(self) -> str:
        token = self.take()
        if not token.startswith("'"):
            raise Unsupported(f"expected a string, found {token!r}")
        return token[1:-1]

    def path(self) -> _Shape:
        """``.//*[...][...]``, optionally ending in ``[1]`` (the first such child of each parent), or
        all of that in parentheses followed by ``[1]`` (the first such element of all)."""
        grouped = self.peek() == "("
        if grouped:
            self.take("(")
        self.take(".//*")
        predicates, first_child = [], False
        while self.peek() == "[" and not first_child:
            self.take("[")
            if self.peek() == "1":
                self.take()
                first_child = True
            else:
                predicates.append(self.expr())
            self.take("]")
        if grouped:
            self.take(")"), self.take("["), self.take("1"), self.take("]")
        if self.peek() is not None or not predicates:
            raise Unsupported("not a plain .//*[...] path")
        tags = getattr(predicates[0], "tags", None)  # a disjunction of self:: tests only
        return _Shape(tags, tuple(predicates[1:] if tags else predicates), first_child, grouped)

    def expr(self) -> Predicate:
        terms = self.joined("or", self.conjunction)
        if len(terms) == 1:
            return terms[0]
        tags = [getattr(t, "tags", None) for t in terms]
        if all(tags):  # self::a or self::b: one tag test
            return _self_test(tuple(t for group in tags for t in group))

        def any_of(el, attrs, terms=tuple(terms)):
            return any(term(el, attrs) for term in terms)
        return _reads(any_of, *terms)

    def conjunction(self) -> Predicate:
        terms = self.joined("and", self.unary)
        if len(terms) == 1:
            return terms[0]

        def all_of(el, attrs, terms=tuple(terms)):
            return all(term(el, attrs) for term in terms)
        return _reads(all_of, *terms)

    def joined(self, word: str, part: Callable[[], Predicate]) -> list[Predicate]:
        terms = [part()]
        while self.peek() == word:
            self.take()
            terms.append(part())
        return terms

    def unary(self) -> Predicate:
        token = self.peek()
        if token == "not" and self.peek(1) == "(":
            self.take(), self.take("(")
            inner = self.expr()
            self.take(")")
            return _reads(lambda el, attrs: not inner(el, attrs), inner)
        if token == "(":
            self.take()
            inner = self.expr()
            self.take(")")
            return inner
        if token == "self" and self.peek(1) == "::":
            self.take(), self.take("::")
            return _self_test((self.take(),))
        if token == ".//":
            self.take()
            name = self.take()
            if not re.fullmatch(r"[A-Za-z][\w\-]*", name):
                raise Unsupported(f"descendant {name!r}")
            return _reads(lambda el, attrs: el.find(f".//{name}") is not None, element=True)
        if token == "@":
            names = self.attributes()
            if self.peek() == "=":
                self.take()
                value = self.string()
                return lambda el, attrs: any(attrs.get(n) == value for n in names)
            return lambda el, attrs: any(n in attrs for n in names)
        if token in ("contains", "starts-with") and self.peek(1) == "(":
            self.take(), self.take("(")
            subject = self.string_argument()
            self.take(",")
            needle = self.string()
            self.take(")")
            if token == "contains":
                return lambda el, attrs: needle in subject(attrs)
            return lambda el, attrs: subject(attrs).startswith(needle)
        if token is not None and ":" in token and token.split(":")[0] in self.regexp_prefixes \
                and token.split(":")[1] == "test" and self.peek(1) == "(":
            self.take(), self.take("(")
            subject = self.string_argument()
            self.take(",")
            pattern = self.string()
            flags = self.string_after_comma() if self.peek() == "," else ""
            search = re.compile(pattern, re.IGNORECASE if "i" in flags else 0).search  # as lxml reads flags
            self.take(")")
            return lambda el, attrs: search(subject(attrs)) is not None
        raise Unsupported(f"unexpected {token!r}")

    def attributes(self) -> tuple[str, ...]:
        names = []
        while True:
            self.take("@")
            name = self.take()
            if not re.fullmatch(r"[A-Za-z_][\w.\-]*", name):
                raise Unsupported(f"attribute {name!r}")
            names.append(name)
            if self.peek() != "|":
                return tuple(names)
            self.take("|")

    def string_argument(self) -> StringOf:
        if self.peek() == "translate" and self.peek(1) == "(":
            self.take(), self.take("(")
            inner = self.string_argument()
            self.take(",")
            table = self.string(), self.string_after_comma()
            self.take(")")
            source, target = table
            mapping = str.maketrans({c: (target[i] if i < len(target) else None)
                                     for i, c in reversed(list(enumerate(source)))})
            return lambda attrs: inner(attrs).translate(mapping)
        names = self.attributes()
        if len(names) == 1:
            name = names[0]
            return lambda attrs: attrs.get(name, "")
        return lambda attrs: next((v for k, v in attrs.items() if k in names), "")

    def string_after_comma(self) -> str:
        self.take(",")
        return self.string()


def _self_test(names: tuple[str, ...]) -> Predicate:
    wanted = frozenset(names)

    def is_one_of(el, attrs):
        return el.tag in wanted
    is_one_of.tags = names
    return _reads(is_one_of, element=True)


def _reads(predicate: Predicate, *parts: Predicate, element: bool = False) -> Predicate:
    """Mark a predicate that looks at more than the attributes (the tag, the descendants)."""
    predicate.element = element or any(getattr(p, "element", False) for p in parts)
    return predicate


_MEMO = 2048  # verdicts kept per call; a page has a few hundred distinct attribute sets


def compile_xpath(xpath: etree.XPath, namespaces: dict | None = None) -> Callable | None:
    """A Python function giving what ``xpath(element)`` gives, or None if the expression has a
    form this module does not translate. ``namespaces`` as given to ``etree.XPath`` (lxml keeps
    them to itself); only a prefix bound to the EXSLT regular expressions is understood."""
    try:
        shape = _Parser(xpath.path, namespaces).path()
    except (Unsupported, re.error):  # a pattern lxml would only reject when the XPath runs
        return None

    # The tests on attributes alone give one verdict per set of attributes, and the class and id
    # values of a page repeat: the verdict is looked up by the element's attributes (in source
    # order, which the unions read) before it is worked out. Tests on the tag or the descendants
    # run after it, on the elements that passed.
    tags = shape.tags or (etree.Element,)
    by_attributes = tuple(p for p in shape.predicates if not getattr(p, "element", False))
    by_element = tuple(p for p in shape.predicates if getattr(p, "element", False))
    bare = all(p(None, {}) for p in by_attributes)  # the verdict for an element without attributes

    def select(element):
        found = []
        verdicts = {}  # at most _MEMO entries: a page of unique attributes costs no more memory
        parents = set()  # with first_child: the parents whose first passing child is found
        for el in element.iterdescendants(*tags):
            items = el.items()
            if not items:
                passes = bare
            else:
                key = tuple(items)
                passes = verdicts.get(key)
                if passes is None:
                    attrs = dict(items)
                    passes = all(p(el, attrs) for p in by_attributes)
                    if len(verdicts) < _MEMO:
                        verdicts[key] = passes
            if not passes or (by_element and not all(p(el, dict(items)) for p in by_element)):
                continue
            if shape.first_child:
                parent = el.getparent()
                if parent in parents:
                    continue
                parents.add(parent)
            found.append(el)
            if shape.first_only:
                break
        return found
    select.path = xpath.path  # as an XPath object has it: the list items keep one interface
    return select


def translate_all(xpaths: list, namespaces: dict) -> list:
    """The list with each XPath replaced by its translation where there is one."""
    return [compile_xpath(x, namespaces) or x for x in xpaths]


@contextmanager
def swapped(replacements: list[tuple[list, list]]):
    """Put other items into lists owned elsewhere for the length of a ``with`` block, and the
    old ones back after it, however it ends. trafilatura's functions read their selector lists
    as module globals; swapping the items (not rebinding the names) reaches every module that
    imported them. Outside the block trafilatura is as it was; inside, its results are the same."""
    saved = [(target, target[:]) for target, _ in replacements]
    try:
        for target, items in replacements:
            target[:] = items
        yield
    finally:
        for target, items in saved:
            target[:] = items
