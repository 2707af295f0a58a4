"""Phrase families for boilerplate, as data: one named pattern per concept, per language.

Whole-line families (``LINE_FAMILIES``) match a block only when the entire line, less
surrounding punctuation and bullets, is one of the phrases; so a sentence in the body that
merely mentions an advertisement, a photo or comments never matches. Prefix families match the
start of a short line. Everything is compiled once, at import: the phrase line patterns with
``re`` where they can be (``line_pattern``), the rest with ``regex`` (but STRAY_URL with ``re``:
``regex`` backtracks badly on it). Phrases spell out what ``regex``'s full case folding gave them
("schlie(?:ß|ss)en"). Rules apply them only to lines under a length cap, so that no pattern meets
a 40,000-character line (tests/test_complexity.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import regex

# -- whole-line phrase families ---------------------------------------------------------------

AD_MARKERS = {
    "en": [
        r"advertisements?", r"advert", r"ads?", r"sponsored(?: (?:content|post|story|stories|links?|article))?",
        r"sponsored by .{1,60}", r"paid (?:content|post|partnership|promotion)", r"promoted(?: (?:content|stories))?",
        r"partner content", r"(?:story|article|content|text) continues (?:below|after)(?: this)? (?:advertisement|ad)",
        r"advertisement\s*[-–—:.]\s*(?:continue|scroll) (?:reading|down|to continue reading)(?: below)?",
        r"(?:continue|keep) reading below", r"scroll (?:down )?to continue(?: reading| with content)?",
        r"ad feedback", r"report (?:this )?ad", r"skip (?:this )?ad", r"close (?:this )?ad", r"remove ads",
        r"ads? by .{1,40}", r"advertising", r"advertise with us",
    ],
    "de": [
        r"anzeige", r"werbung", r"gesponsert", r"bezahlter inhalt", r"weiter nach der (?:anzeige|werbung)",
        r"(?:der )?artikel (?:wird|geht) (?:nach|unter) der (?:anzeige|werbung) (?:fortgesetzt|weiter)",
        r"werbung schlie(?:ß|ss)en", r"anzeigen?", r"sponsored content",
    ],
    "fr": [r"publicit[ée]", r"contenu sponsoris[ée]"],
    "es": [r"publicidad", r"contenido patrocinado"],
    "pt": [r"publicidade", r"conte[úu]do patrocinado"],
    "it": [r"pubblicit[àa]"],
    "pl": [r"reklama", r"artykuł sponsorowany"],
}

COMMENT_WIDGETS = {
    "en": [
        r"comments?(?: \(\d+\))?", r"\d+ comments?", r"(?:view|show|hide|read|load|see)(?: all)?(?: \d+)? comments?",
        r"write the first comment(?: for this)?", r"be the first to comment(?: on this (?:article|story|post))?",
        r"leave a (?:comment|reply)", r"post a comment", r"add (?:a|your) comment", r"write a comment",
        r"(?:please )?(?:log|sign) in(?: here)? to (?:comment|reply|join the (?:conversation|discussion)|leave a comment|post a comment)",
        r"join the (?:conversation|discussion)", r"comments are (?:closed|disabled)", r"no comments yet",
        r"(?:comment|discussion|community) (?:policy|guidelines)", r"there are no comments(?: yet)?",
        r"you must be logged in to (?:post a )?comment", r"report (?:this )?comment", r"show more replies",
        r"sort by (?:newest|oldest|best|top)", r"what do you think\?", r"conversation",
        r"(?:pingback|trackback)(?:s|-url| url)?(?:(?: from| by|:) .{1,160})?", r"comments? (?:feed|rss)",
        r"was this (?:article|page|post|story|information|answer) (?:helpful|useful)", r"did you (?:find|like|enjoy) this (?:article|post|story)",
        r"how (?:helpful|useful) was this (?:article|page|post)",
        r"(?:we want to hear what you think about this article\. )?submit (?:a|your) letter to the editor.{0,160}",
    ],
    "de": [
        r"kommentare?(?: \(\d+\))?", r"\d+ kommentare?", r"kommentar (?:schreiben|verfassen|abgeben)",
        r"(?:alle )?kommentare (?:anzeigen|lesen|einblenden|ausblenden)", r"diskutieren sie mit",
        r"jetzt kommentieren", r"schreiben sie (?:den ersten|einen) kommentar",
        r"die kommentarfunktion ist (?:geschlossen|deaktiviert)", r"kommentieren",
        r"(?:pingback|trackback)(?: von .{1,160})?", r"keine kommentare(?: .{1,80})?", r"kommentare? (?:geschlossen|deaktiviert)", r"kommentar-?feed",
        r"war (?:der|dieser|dieses|die|diese) (?:artikel|beitrag|text|seite|information|inhalt) (?:hilfreich|nützlich|informativ)",
        r"(?:hat|gefällt) ihnen (?:der|dieser|dieses|die|diese) (?:artikel|beitrag|text|seite)(?: gefallen)?",
        r"wie hat ihnen (?:der|dieser|dieses|die|diese) (?:artikel|beitrag|text|seite) gefallen",
        r"(?:der|dieser|dieses|die|diese) (?:artikel|beitrag|text|seite) gefällt ihnen",
        r"(?:sie müssen|du musst) (?:sich|dich) (?:einloggen|anmelden|registrieren),? um .{1,80}(?:kommentar|diskussion|kommentieren|antworten).{0,40}",
        r"um .{1,80} (?:kommentieren|bewerten) zu können,? (?:müssen sie|musst du) (?:eingeloggt|angemeldet|registriert) sein",
        r"(?:artikel|beitrag|rezept|tipp)? ?bewerten", r"bewertung abgeben",
    ],
    "fr": [r"commentaires?(?: \(\d+\))?", r"laisser un commentaire", r"vos r[ée]actions(?: \(\d+\))?", r"r[ée]agir(?: [àa] (?:cet|l'|l’)article)?"],
    "es": [r"comentarios?(?: \(\d+\))?", r"deja un comentario",
           r"para comentar (?:debes|debe|tienes que|hay que) (?:registrarte|iniciar sesi[óo]n|estar registrado|identificarte).{0,80}"],
    "pt": [r"coment[áa]rios?(?: \(\d+\))?", r"deixe (?:um|seu) coment[áa]rio"],
}

SHARE_PROMPTS = {
    "en": [
        r"share(?: (?:this|the))?(?: (?:article|story|post|page|video))?(?: (?:on|via|with) .{1,40})?",
        r"share this:?", r"(?:follow|like|find|join) us(?: on .{1,60})?", r"follow @\w+(?: on .{1,30})?",
        r"click to (?:share|email|print).{0,60}", r"(?:tweet|email|e-mail|print|copy (?:the )?link|copy url|link copied|copied)", r"rss(?: feed)?(?: subscribe)?",
        r"(?:facebook|twitter|x|linkedin|pinterest|reddit|whatsapp|telegram|messenger|flipboard|threads|bluesky|mastodon|xing|tumblr|email this|print this(?: article| page)?)(?: link| icon| logo)?",
        r"(?:(?:facebook|twitter|linkedin|pinterest|reddit|whatsapp|telegram|flipboard|xing|email|e-mail|print)[\s,|/·•]*){2,}",
        r"gift (?:this )?article", r"save (?:this )?(?:article|story)", r"listen to (?:this )?(?:article|story)",
        r"share (?:on|via) (?:facebook|twitter|x|linkedin|whatsapp|email)",
    ],
    "de": [
        r"teilen", r"(?:artikel|beitrag|seite|link) (?:teilen|drucken|versenden|empfehlen|kopieren)",
        r"folgen sie uns(?: auf .{1,40})?", r"jetzt teilen", r"per (?:e-?mail|whatsapp|mail) (?:teilen|versenden)",
        r"merken", r"drucken", r"artikel (?:merken|anhören|vorlesen lassen)",
    ],
    "fr": [r"partager(?: sur .{1,30})?", r"suivez-nous(?: sur .{1,40})?"],
    "es": [r"compartir(?: en .{1,30})?", r"s[ií]guenos(?: en .{1,40})?"],
}

RELATED_HEADERS_STRONG = {  # headers that introduce a list of promoted headlines with teasers
    "en": [
        r"other topics of interest", r"related(?: (?:articles?|stories|posts?|news|content|coverage|reading|topics?|videos?))",
        r"more (?:from|on|about|in) .{1,60}", r"more (?:stories|news|articles|headlines|coverage)(?: .{1,40})?",
        r"(?:you|we think you) (?:may|might|could|will) (?:also )?(?:like|enjoy|be interested in)(?: these)?",
        r"(?:other |more )?(?:posts|articles|stories|reads) you (?:may|might|will) (?:also )?(?:like|enjoy|love)",
        r"recommended(?: (?:for you|reading|stories|articles|videos))?", r"most (?:read|popular|viewed|shared|commented|emailed)(?: .{1,30})?",
        r"trending(?: (?:now|stories|topics|articles))?", r"top stories", r"(?:editor'?s'?|editors'?) picks?",
        r"popular (?:now|stories|posts|articles|on .{1,30})", r"in case you missed it", r"what to (?:read|watch) next",
        r"more to explore", r"explore more", r"(?:the )?latest(?: (?:news|stories|articles|headlines|posts))?",
        r"read (?:this|these) next",
    ],
    "de": [
        r"mehr zum thema(?: .{1,40})?", r"(?:das|dies) (?:könnte|dürfte) sie auch interessieren",
        r"weitere (?:artikel|nachrichten|beiträge|themen|meldungen)(?: .{1,40})?", r"meist ?gelesen(?:e)?(?: (?:artikel|nachrichten))?",
        r"(?:unsere )?empfehlungen", r"verwandte (?:artikel|themen|beiträge)", r"mehr (?:aus|von|zu) .{1,60}",
        r"top-?themen(?: .{1,40})?", r"neueste (?:artikel|beiträge|nachrichten)", r"ähnliche (?:artikel|beiträge|themen)",
        r"beliebte (?:artikel|beiträge)(?: zum thema)?", r"auch interessant", r"das interessiert andere leser",
        r"(?:die )?meist ?gelesenen? (?:artikel|beiträge|nachrichten)(?: .{1,40})?", r"(?:weitere|andere) (?:leser|nutzer) (?:lasen|interessierten sich für)",
        r"(?:das(?: thema)?|dies) (?:könnte|dürfte) (?:dich|euch) auch interessieren", r"empfohlene (?:beiträge|artikel)",
        r"empfohlen für (?:dich|sie)", r"(?:seit \d+ tagen )?am meisten gelesen(?: .{1,40})?",
    ],
    "fr": [r"(?:à|a) lire aussi", r"sur le même sujet", r"les plus lus", r"pour (?:approfondir|aller plus loin)", r"articles? (?:similaires|recommandés)"],
    "es": [r"(?:también )?(?:te|le) puede interesar", r"noticias relacionadas", r"lo más leído", r"contenido relacionado"],
    "pt": [r"(?:veja|leia) tamb[ée]m", r"(?:not[íi]cias|mat[ée]rias|artigos) relacionad[oa]s", r"mais lid[oa]s", r"voc[êe] (?:pode|vai) gostar"],
    "pl": [r"polecane(?: artykuły)?", r"najczęściej czytane"],
}

RELATED_HEADERS_WEAK = {  # headers that may also stand alone in a body: only headlines follow
    "en": [r"related", r"read (?:more|next|also)", r"(?:also|further) read(?:ing)?", r"see also", r"up next", r"keep reading"],
    "de": [r"(?:lesen sie|lies) (?:auch|mehr|hier)(?: (?:die|diese|unsere) (?:folgenden )?(?:beiträge|artikel))?", r"zum thema", r"mehr dazu",
           r"(?:zum )?weiterlesen", r"mehr lesen(?: (?:über|zu|zum thema))?", r"auch lesen"],
    "fr": [r"lire aussi", r"voir aussi"],
    "es": [r"lee también", r"ver también", r"vea también", r"lea también", r"mira también"],
    "pl": [r"czytaj (?:też|także|również)", r"zobacz (?:też|także|również)"],
}

# -- prefix families: the start of a short line ------------------------------------------------

RELATED_LINK_PREFIX = {  # "READ MORE: Headline of another article"
    "en": [r"read (?:more|also|next)", r"also read", r"see also", r"related", r"more", r"watch", r"listen", r"recommended", r"must read"],
    "de": [r"lesen sie (?:auch|mehr|hier)", r"mehr dazu", r"auch interessant", r"zum thema", r"lies auch", r"mehr zum thema", r"auch lesen"],
    "fr": [r"lire aussi", r"(?:à|a) lire aussi", r"voir aussi"],
    "es": [r"lee también", r"(?:te|le) puede interesar", r"relacionad[oa]s?", r"vea también", r"lea también", r"mira también"],
    "pl": [r"czytaj (?:też|także|również)", r"zobacz (?:też|także|również)"],
}

CORRECTION_PROMPTS = {
    "en": [
        r"to suggest a correction", r".{0,120}\b(?:press|hit|use) ctrl\s*\+\s*enter\b",
        r"(?:spotted|found|notice|see) (?:a |an )?(?:mistake|error|typo)", r"report (?:an? )?(?:error|typo|mistake|correction|issue with this)",
        r"(?:corrections?|editorial) (?:policy|standards)", r"have a correction", r"if you (?:spot|see|notice|find) (?:an? )?(?:error|mistake|typo)",
        r"send (?:us )?a correction", r"submit a correction", r"(?:see|found) something wrong",
    ],
    "de": [r"fehler (?:gefunden|entdeckt|melden)", r"(?:haben sie|sie haben) einen fehler (?:gefunden|entdeckt)", r"korrektur (?:melden|vorschlagen)"],
    "fr": [r"signaler une erreur"],
    "es": [r"reportar un error"],
}

# A call to action's button on a line of its own: a trial, a quote, an appointment, "shop",
# "book" or "buy now" ("Start your free trial", "Get a quote", "Shop Puma today"). Whole lines
# only: "Apply now to the council before March" is a sentence.
CALLS_TO_ACTION = {
    "en": [
        r"(?:book|schedule|get|request|claim) (?:a |an |your )?(?:free )?(?:consultation|quote|estimate|free trial|trial|appointment)(?: today| now| here)?",
        r"(?:start|try|begin) (?:(?:your|a|the) )?(?:free )?(?:\d+[- ]day )?(?:free )?trial(?: today| now)?",
        r"(?:download|shop|order|buy|start shopping|get started|try it|apply|enroll|register|book|call|contact us|get in touch|get it) (?:now|today)",
        r"(?:try|order|shop|get|book) [\w'’&\- ]{1,25} (?:now|today)",
        r"free \d+[- ]day trial\.? ?(?:no credit card required)?", r"no credit card required",
    ],
    "de": [
        r"jetzt (?:kostenlos |gratis )?(?:kaufen|bestellen|buchen|testen|anfragen|shoppen|sichern|herunterladen|ausprobieren)",
        r"(?:kostenlos|gratis) (?:testen|ausprobieren)",
        r"(?:unverbindliches )?angebot anfordern", r"termin vereinbaren",
    ],
}

NEWSLETTER_PROMPTS = {
    "en": [
        r"(?:sign up|subscribe|register|join)(?: now| today| here| free)?(?: for| to)? .{0,80}(?:newsletters?|updates|alerts|digest|inbox|briefing|e-?mails?)\b",
        r"newsletters?", r"subscribe(?: now| today| here)?", r"subscribe to .{1,60}",
        r"(?:get|receive) (?:the latest|our|breaking|the best|daily|weekly) .{0,80}(?:in your inbox|newsletter|by e-?mail|to your inbox)",
        r"already (?:a subscriber|subscribed|a member|have an account)\b", r"(?:subscribe|sign up|log in|register) to (?:continue|read|unlock|keep reading)",
        r"thank you for (?:subscribing|signing up)", r"thank you!? please check your inbox", r"enter your e-?mail(?: address)?", r"(?:become|support us as) a (?:subscriber|member)",
        r"by (?:signing up|subscribing|clicking|registering)\b.{0,300}\b(?:privacy|terms)\b",
        r"this (?:article|content|story) is (?:for|available to|exclusive to) (?:subscribers|members)",
        r"never miss (?:a|an|the latest|our) .{0,80}(?:newsletter|inbox|signing up|subscribing)",
        r"(?:get|receive) (?:the |our )?.{0,60}\b(?:daily|weekly|morning|evening)\b.{0,40}(?:in your inbox|newsletter|by e-?mail|to your inbox|edition)",
        r"(?:get|receive) (?:regular |free |e-?mail )?updates (?:on|about|from) .{1,80}\b(?:news|newsletters?|inbox|e-?mails?)\b.{0,60}",
        r"to (?:view|read|continue reading|access|unlock) (?:the full |the rest of (?:the |this )?|this |the )?(?:story|article|post|content),? (?:please )?(?:subscribe|log in|sign in|register)",
        r"if you(?:'|’)re .{0,40}already a subscriber", r"(?:instant|immediate) (?:online )?access to (?:the full|all|this) .{0,60}\b(?:articles?|issues?|pdf|stories|content)\b",
        r"subscription will (?:auto(?:matically)?[- ]?)?renew",
        # the inbox a newsletter lands in ("Get Quanta Magazine delivered to your inbox", "Expert
        # advice … dropped right in your inbox.", "Great! Check your inbox and click the link …")
        r"(?:get|receive) .{0,80}\b(?:to|in|into) your (?:e-?mail )?inbox",
        r".{0,120}\b(?:delivered|dropped|sent) (?:right |straight |directly )?(?:to|in|into) your (?:e-?mail )?inbox(?:es)?\b",
        r"(?:great|success|almost done|thanks?|thank you)[!.,]* (?:now )?check your (?:e-?mail|inbox)", r"thanks for (?:subscribing|signing up)",
        r"(?:was|is) this (?:newsletter|e-?mail) forwarded to you",
    ],
    "de": [
        r"newsletter (?:abonnieren|bestellen|anmeldung)", r"jetzt (?:abonnieren|anmelden|registrieren|abonnent werden)",
        r"(?:melden sie sich|abonnieren sie|holen sie sich|bestellen sie|sichern sie sich) .{0,80}newsletter", r"zum newsletter", r"(?:sie sind )?bereits abonnent",
        r"mit der anmeldung .{0,200}datenschutz", r"(?:dieser )?(?:artikel|inhalt) ist (?:nur )?für abonnenten",
        r"jetzt (?:den |unseren )?newsletter (?:abonnieren|bestellen|anfordern)", r"(?:immer|bestens|stets|täglich) (?:gut )?informiert .{0,80}newsletter",
        # the inbox, in one phrase: a phrase that starts with a wildcard runs only on the lines that
        # hold its longest plain word ("post", phrases.Needs), and each one costs every line a test
        r".{0,120}\b(?:in (?:dein(?:en)?|ihr(?:en)?) (?:e-?mail-?)?|(?:prüfen|überprüfen|schau(?:en sie)?)(?: sie)?(?: schnell)? "
        r"(?:in )?(?:ihr|dein)(?:en)? (?:e-?mail[- ]?)?)post(?:eingang|fach)\b",
    ],
    "fr": [r"(?:abonnez-vous|inscrivez-vous) .{0,80}", r"d[ée]j[àa] abonn[ée]"],
    "es": [r"suscr[íi]bete .{0,80}", r"ya eres suscriptor"],
}

# -- agencies ----------------------------------------------------------------------------------

# Photo agencies and wire services seen in caption credits ("EFE-EPA/NAME/AGENCY", "Name/AFP").
PHOTO_AGENCIES = [
    r"EFE", r"EPA", r"AFP", r"AP", r"Reuters", r"REUTERS", r"dpa", r"DPA", r"Getty Images", r"Getty", r"GETTY",
    r"Shutterstock", r"iStock(?:photo)?", r"IMAGO", r"[Ii]mago(?: [Ii]mages)?", r"picture[ -]alliance", r"Keystone", r"KEYSTONE",
    r"PA(?: Wire| Images| Media)?", r"SIPA", r"Sipa(?: USA)?", r"ZUMA(?: Press| Wire)?", r"Zuma", r"Bloomberg", r"ABACA", r"NurPhoto",
    r"Anadolu(?: Agency)?", r"AAP", r"ANP", r"Belga", r"BELGA", r"Xinhua", r"XINHUA", r"KCNA", r"SPUTNIK", r"Sputnik", r"TASS",
    r"KREMLIN", r"POOL", r"Pool", r"WireImage", r"Alamy", r"Corbis", r"Polaris", r"Redux", r"UPI", r"Yonhap", r"YONHAP", r"Kyodo",
    r"ullstein bild", r"akg-images", r"Wikimedia Commons", r"Unsplash", r"Pexels", r"Pixabay", r"Flickr", r"NASA", r"ANSA", r"APA",
    r"Lusa", r"LUSA", r"TT", r"NTB", r"Ritzau", r"Lehtikuva", r"WENN", r"Rex Features", r"REX", r"Bildbyrån", r"Handout", r"HANDOUT",
]

# Wire services that sign off a story after its last sentence ("... in 2019. EFE", "(AFP)").
SIGNOFF_AGENCIES = [
    r"EFE", r"AFP", r"AP", r"Reuters", r"REUTERS", r"dpa", r"DPA", r"APA", r"ANSA", r"KNA", r"epd", r"AFX", r"SDA", r"sda",
    r"Xinhua", r"XINHUA", r"IANS", r"PTI", r"ANI", r"UPI", r"TASS", r"Interfax", r"Yonhap", r"Kyodo", r"Bloomberg", r"Belga",
    r"ANP", r"Lusa", r"EPA", r"AAP", r"CNA", r"Anadolu", r"RIA Novosti", r"Europa Press", r"Notimex", r"ATS", r"Keystone-SDA",
]

CAPTION_LABELS = {  # "Photo: …", "Image credit: …", "Foto: …" at the start of a short line
    "en": [r"photo(?:graph)?s?", r"images?", r"pictures?", r"pic", r"illustration", r"graphic", r"caption", r"credits?",
           r"(?:photo|image|picture|video) (?:credit|source|courtesy)s?", r"main image", r"top image", r"file photo", r"video"],
    "de": [r"fotos?", r"bild(?:er)?", r"bildquelle", r"titelbild", r"bildunterschrift", r"symbolbild", r"archivbild", r"grafik", r"beitragsbild"],
    "fr": [r"photo", r"crédits? photos?", r"image illustrative"],
    "es": [r"foto(?:grafía)?", r"imagen"],
}


def alternation(families: dict[str, list[str]] | list[str]) -> str:
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    return "|".join(f"(?:{p})" for p in phrases)


# A whole line: optional bullets/arrows/brackets around the phrase, optional closing colon.
EDGE_OPEN = r"^[\s\-–—•·*>»›|#\[(]*"
_EDGE_CLOSE = r"[\s:.!?…\-–—»›>|)\]]*$"


class Gated:
    """A line pattern that starts with edge characters and a phrase alternation, with a memo of
    the line starts that can begin a match at all. A seed-sized document asks these patterns
    about 140 times, at 1 to 3 microseconds each in the regex engine; most lines start with a
    word that no phrase of the family starts with, and skip the engine after two dictionary
    lookups.

    A line's start is its text up to and including the character after its first word (the
    word may follow up to four other characters: "» Read", "(Photo"). Whether a match can begin
    there is asked once per start, with ``head`` (the edge and the alternation, nothing after
    them, in ``regex``: only it has partial matches) as a partial match: "can some text that
    starts like this match?". A yes runs the whole pattern as before, so answers never change
    (tests/test_properties.py checks that gated and plain patterns agree). Only ASCII starts are
    gated: on them ``re`` and ``regex`` read case and character classes alike (``re`` also folds
    "ı" to "i", ``regex`` does not); any other start runs the whole pattern."""

    __slots__ = ("pattern", "head", "_starts")
    _MAX_STARTS = 10_000  # memo entries per pattern; the memo starts afresh when full

    def __init__(self, pattern: regex.Pattern, head: regex.Pattern) -> None:
        self.pattern, self.head = pattern, head
        self._starts: dict[str, bool] = {}

    def match(self, text: str):
        start = _START_OF.get(text)
        if start is None:
            start = _line_start(text)
        if not start:
            return self.pattern.match(text)  # no word near the start: no memo
        can = self._starts.get(start)
        if can is None:
            if len(self._starts) >= self._MAX_STARTS:
                self._starts.clear()
            can = self._starts[start] = self.head.match(start, partial=True) is not None
        return self.pattern.match(text) if can else None


_START = re.compile(r"\W{0,4}\w{1,30}.?", re.S)
# line -> its start: the patterns asked about one line share it. Lines reach these patterns under
# length caps (800 characters at most), so the memo stays under a few MB whatever the input.
_START_OF: dict[str, str] = {}


def _line_start(text: str) -> str:
    found = _START.match(text)
    start = found.group() if found else ""
    if not start.isascii():
        start = ""  # not gated (see Gated)
    if len(_START_OF) >= 1_024:
        _START_OF.clear()
    _START_OF[text] = start
    return start


def line_pattern(source: str):
    """A case-insensitive line pattern: compiled with ``re`` where it can be, which compiles these
    long alternations about five times faster than ``regex`` (every run pays it at start-up) and
    runs them about a third faster; with ``regex`` where the pattern needs it (``\\p{Lu}``)."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error:
        return regex.compile(source, regex.IGNORECASE | regex.V1)


def gated(edge: str, families, rest: str, lead: str = "") -> Gated:
    """``edge``, then one phrase of the families, then ``rest``; gated on the line's start.
    ``lead`` (a lookahead over the whole line) goes first in the pattern and is not in the head."""
    phrases = alternation(families)
    pattern = line_pattern(f"{lead}{edge}(?:{phrases}){rest}")
    # The head folds case as the pattern does: simply (as ``re``), or fully ("ss" = "ß", regex.V1).
    version = regex.V1 if isinstance(pattern, regex.Pattern) else regex.V0
    return Gated(pattern, regex.compile(f"{edge}(?:{phrases})", regex.IGNORECASE | version))


def whole_line(families) -> Gated:
    return gated(EDGE_OPEN, families, _EDGE_CLOSE)


def header_line(families) -> Gated:
    """A whole line that does not end like a sentence: a header, not prose."""
    return gated(EDGE_OPEN, families, r"[\s:\-–—»›>|)\]]*$", lead=r"(?!.*[.!?…][\"'”’)]*\s*$)")


def line_prefix(families) -> "Gated | AnyOf":
    """The start of a line, up to a word boundary (so "subscribe" does not match "Subscribers")."""
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    # A phrase that starts with a wildcard (".{0,120} press ctrl+enter") is tried at every length
    # before the others get their turn: in one alternation with them it made every line cost
    # seven times more. Such phrases get a pattern of their own.
    led = [p for p in phrases if not p.startswith(".")]
    patterns = [gated(EDGE_OPEN, led, r"(?=\W|$)")] if led else []
    for p in phrases:
        if p.startswith("."):  # no start to gate on; a word it cannot match without, instead
            pattern = regex.compile(f"{EDGE_OPEN}(?:{p})(?=\\W|$)", regex.IGNORECASE | regex.V1)
            needle = _needle(p)
            patterns.append(Needs(pattern, needle) if needle else pattern)
    return patterns[0] if len(patterns) == 1 else AnyOf(tuple(patterns))


def _needle(phrase: str) -> str:
    r"""The longest run of three or more plain letters that every match of a phrase contains:
    outside any group, class, repeat count or escape, not made optional by a repeat, in a phrase
    with no top-level alternatives (r".{0,120}\b(?:press|hit|use) ctrl\s*\+\s*enter\b" gives
    "enter"); "" when there is none."""
    runs, run, depth, escaped = [], "", 0, False
    for char in phrase:
        if not escaped and depth == 0 and "a" <= char <= "z":
            run += char
            continue
        if not escaped and depth == 0 and char in "?*{":
            run = run[:-1]  # "colou?r": the letter before a repeat that may be zero is not needed
        if not escaped and depth == 0 and char == "|":
            return ""  # alternatives at the top: no word is needed by all of them
        runs.append(run)
        run = ""
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    runs.append(run)
    return max((r for r in runs if len(r) >= 3), key=len, default="")


@dataclass(frozen=True)
class Needs:
    """A pattern that cannot match a line without ``needle`` (lower case, ASCII letters; checked
    on the case-folded line, as the pattern's case folding sees it)."""

    pattern: regex.Pattern
    needle: str

    def match(self, text: str):
        return self.pattern.match(text) if self.needle in fold(text) else None


# line -> its fold: the phrase gates and the body region's tests ask about the same lines, rule
# after rule. Bounded like _START_OF; a race between threads only folds a line twice.
_FOLD_OF: dict[str, str] = {}


def fold(text: str) -> str:
    """Text case folded in full, for tests that need a word in any case: "ſ" is "s", and "İ" is
    "i" (str.casefold adds a combining dot, which goes), as the case-blind patterns read them.
    (A word of ASCII letters that the case folded text holds, this holds too.)"""
    folded = _FOLD_OF.get(text)
    if folded is None:
        folded = text.casefold()
        if not folded.isascii():
            folded = folded.replace("\u0307", "")
        if len(_FOLD_OF) >= 1_024:
            _FOLD_OF.clear()
        _FOLD_OF[text] = folded
    return folded


@dataclass(frozen=True)
class AnyOf:
    """Several patterns that act as one: ``match`` gives the first pattern's match, or None."""

    patterns: tuple

    def match(self, text: str):
        for pattern in self.patterns:
            found = pattern.match(text)
            if found:
                return found
        return None


AD_MARKER = whole_line(AD_MARKERS)
COMMENT_WIDGET = whole_line(COMMENT_WIDGETS)
SHARE_PROMPT = whole_line(SHARE_PROMPTS)
NEWSLETTER_PROMPT = line_prefix(NEWSLETTER_PROMPTS)
CALL_TO_ACTION = whole_line(CALLS_TO_ACTION)
CORRECTION_PROMPT = line_prefix(CORRECTION_PROMPTS)
RELATED_HEADER_STRONG = header_line(RELATED_HEADERS_STRONG)
RELATED_HEADER_WEAK = header_line(RELATED_HEADERS_WEAK)
RELATED_LINK = gated(EDGE_OPEN, RELATED_LINK_PREFIX, r"\s*(?::|»|›|>|\||–|—|-)\s*(?P<headline>\S.*)$")

_PHOTO = alternation(PHOTO_AGENCIES)
_NAME = r"[\p{Lu}][\p{L}\p{M}.'’\-]*(?: [\p{L}\p{M}.'’\-]+){0,5}"
# The credit forms, each a pattern of its own that must end the line. The engine runs one of
# them in a few microseconds; joined into one alternation the same search took 20 times longer.
# Searched forward only, over the last 120 characters of a line (caption.py). A reverse search
# (regex.REVERSE) is faster on typical lines but takes exponential time on "aaaa…aaa /AP": found
# by tests/test_complexity.py, so not used.
_CREDIT_FORMS = (
    rf"(?:^|[\s.;,(\[])(?:{_PHOTO})(?:\s*-\s*(?:{_PHOTO}))*\s*/\s*[^/\n]{{1,60}}(?:/[^/\n]{{0,60}}){{0,6}}",  # EFE-EPA/NAME/AGENCY
    rf"(?:^|[\s(\[:])(?:{_NAME})\s*/\s*(?:{_PHOTO})\b[^.!?\n]{{0,60}}",  # Evan Vucci/AP
    rf"\(\s*(?:(?:{_PHOTO})\s+)?Photos?(?:\s*/\s*[^)\n]{{1,80}})?\s*\)",  # (AP Photo/Evan Vucci)
    rf"(?:^|\s)(?:{_NAME}\s+)?(?:via|for|/|\||:|©)\s*(?:Getty\s+Images|Shutterstock|iStock|Alamy|IMAGO|picture[ -]alliance)\b[^.!?\n]{{0,40}}",
    rf"\(\s*(?:Foto|Fotos|Bild|Photo|Image|Credit|Quelle)s?\s*:\s*[^)\n]{{1,80}}\)",
)
CAPTION_CREDIT_TAILS = tuple(regex.compile(rf"(?:{form})\s*[)\]]?\s*$", regex.V1) for form in _CREDIT_FORMS)


def ends_in_credit(text: str) -> bool:
    """The line ends in a photo credit (any of the credit forms)."""
    return any(pattern.search(text) for pattern in CAPTION_CREDIT_TAILS)


# Cheap test before the credit patterns: each credit form needs a slash or one of these words as
# written (the forms are case-sensitive), so a tail without them cannot end in a credit. ``re``,
# case-sensitive: a microsecond on a 120-character tail, a fifth of a case-insensitive ``regex``.
CREDIT_HINT = re.compile(r"/|Photo|Getty|Shutterstock|iStock|Alamy|IMAGO|picture|Foto|Bild|Image|Credit|Quelle")
CAPTION_LABEL = gated(r"^[\s(\[]*", CAPTION_LABELS, r"\s*(?::|©|\|)\s*\S")
CAPTION_BY = gated(r"^[\s(\[]*", ["photo", "image", "picture", "foto", "bild"], r"s?\s+(?:by|von|:)\s+\p{Lu}")

_SIGNOFF = alternation(SIGNOFF_AGENCIES)
# What stands right before a sign-off: the end of the last sentence, or a closing bracket. A
# sign-off may itself end with the bracket ("(AFP)"), never with the sentence's punctuation.
SIGNOFF_AFTER_SENTENCE = '.!?…"”’»'
SIGNOFF_AFTER_BRACKET = ")]"
# After the last sentence: "EFE", "(AFP)", "— Reuters", "dpa/lnw", "EFE ja/lb", "AFP/dpa".
SIGNOFF_TAIL = regex.compile(
    rf"""(?<=[{regex.escape(SIGNOFF_AFTER_SENTENCE + SIGNOFF_AFTER_BRACKET)}])\s*(?P<signoff>
        [(\[]?\s*[-–—]?\s*(?:{_SIGNOFF})(?:\s*/\s*(?:{_SIGNOFF}|[a-z]{{1,5}}))*\s*[)\]]?
        (?:\s+[a-z]{{1,4}}(?:\s*/\s*[a-z]{{1,4}})+)?
    )\s*$""",
    regex.VERBOSE | regex.V1,
)
SIGNOFF_LINE = regex.compile(
    rf"^\s*[(\[]?\s*[-–—]?\s*(?:{_SIGNOFF})(?:\s*/\s*(?:{_SIGNOFF}|[a-z]{{1,5}}))*\s*[)\]]?(?:\s+[a-z]{{1,4}}(?:\s*/\s*[a-z]{{1,4}})+)?\s*$",
    regex.V1,
)

# With ``re``, not ``regex``: regex backtracks quadratically on a long "x.x.x.…" token here.
STRAY_URL = re.compile(
    r"^[\s(<\[]*(?:(?:https?|ftp)://|www\.)\S+[\s)>\]]*$|^\S+\.(?:png|jpe?g|gif|webp|svg|avif|bmp)(?:\?\S*)?$"
    r"|^\s*\[email\s+protected\]\s*$",  # an address hidden by the site's e-mail obfuscation
    re.IGNORECASE,
)
