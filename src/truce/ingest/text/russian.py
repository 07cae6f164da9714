"""Russian text (TASS, RIA Novosti, Interfax, both ministries) into the same proposals.

``extract_ru(text, published, source_name, index, zone)`` cleans and splits
the text as for English, finds triggers by stem ("обстрел", "нанесли удар",
"подвергли обстрелу", "открыли огонь", "сбит беспилотник", "освобождено
село", "обстановка спокойная"), speakers and stances by rule ("Минобороны
Азербайджана сообщило", "— говорится в сообщении Генпрокуратуры", "заявила
пресс-секретарь ... Шушан Степанян", "опровергло", "обвинил", "является
ложной"), and builds events with the English stages' merging, attribution and
agreement rules. Mentions come from ``russian_words``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, tzinfo
from functools import lru_cache

from ...domain.taxonomy import WeaponClass
from .assemble import _settlement_beside, fold_nearby, is_background, merge_events
from .claims import one_per_speaker
from .cleaning import clean
from .lowered import Blind
from .model import ClaimProposal, EventProposal, Extraction, PlaceMention, Sentence
from .origins import find_relays, is_relay
from .perpetrators import Perpetrator
from .place_context import settle_ambiguous
from .places import PlaceIndex
from .russian_words import find_dates_ru, find_numbers_ru, find_places_ru, perpetrator_ru
from .sentences import split_sentences
from .truces import find_agreements

__all__ = ["extract_ru", "find_triggers_ru"]

_E, _B, _S = "Explosions/Remote violence", "Battles", "Strategic developments"
_SHELL, _AIR, _CLASH = "Shelling/artillery/missile attack", "Air/drone strike", "Armed clash"
# (pattern, type, sub-type, strong)
_TRIGGERS: list[tuple[re.Pattern[str], str, str, bool]] = [(Blind(p), t, s, strong)
                                                           for p, t, s, strong in [
    (r"\b(?:авиаудар\w*|удар\w* (?:с )?(?:беспилотник|бпла|дрон|авиаци)\w*|бомбардир\w*|"
     r"бомбил\w*|бомб[её]жк\w*|сбросил\w* (?:\w+ )?(?:бомб|мин)\w*|"
     r"(?:атакован\w*|атаковал\w*|удар\w*|нанес\w* удар\w*) с воздуха)", _E, _AIR, True),
    (r"\b(?:(?:сбит\w*|сбил\w*|уничтож\w*|перехвач\w*|нейтрализова\w*|поразил\w*)"
     r"\s+(?:\w+\s+){0,3}(?:самол[её]т|беспилотн|бпла|вертол[её]т|ракет|дрон|квадрокоптер)\w*|"
     r"(?:беспилотн|бпла|дрон|самол[её]т|вертол[её]т|квадрокоптер)\w*[^.]{0,120}?\b"
     r"(?:сбит|(?:был|была|были)\s+уничтожен)\w*)",
     _S, "Disrupted weapons use", True),
    (r"\b(?:пуск\w* (?:\w+ )?ракет\w*|обстрел\w*|обстрелива\w*|обстреля\w*|артиллерийск\w+ (?:огон|огн|удар)\w*|"
     r"ракетн\w+ (?:удар|обстрел|атак)\w*|удар\w* (?:по|ракет)\w*|"
     r"нан[её]с\w* (?:\w+ ){0,3}удар\w*|нанос\w* (?:\w+ ){0,3}удар\w*|ударил\w*|ударили|"
     r"выпустил\w* (?:\w+ ){0,2}ракет\w*|(?:снаряд|мин|ракет)\w* (?:попал|упал|пада|разорвал)\w*|"
     r"(?:точечн|артиллерийск|ракетн|авиационн|огнев)\w* удар\w*|"
     r"огнев\w+ поражени\w*|подверг\w* (?:\w+ ){0,2}(?:обстрел|удар)\w*|"
     r"примен(?:ил|ила|или|яет|яют)\w* (?:\w+ ){0,2}(?:беспилотник|бпла|дрон|артиллери|ракет|"
     r"миномет|миномёт|рсзо|реактивн|авиаци|кассетн)\w*|"
     r"(?:слышн\w*|прогремел\w*|раздал\w*|произош[её]л|произошли|прозвучал\w*) (?:\w+ ){0,2}взрыв\w*|"
     r"взрыв\w* (?:\w+ ){0,2}(?:прогремел\w*|раздал\w*|слышн\w*|прозвучал\w*))", _E, _SHELL, True),
    (r"\b(?:освобо(?:жден|дил|ждени)\w*|взял\w* под контроль|взят\w* под контроль|"
     r"установил\w* контроль|захватил\w*|занял\w*)", _B, "Government regains territory", True),
    (r"\b(?:перестрелк\w*|открыл\w* огонь|открыва\w* огонь|вед[её]т огонь|вели огонь|ведут огонь|"
     r"вел\w* огонь|стрельб\w*|нарушени\w* (?:режима )?(?:прекращения огня|перемирия)|"
     r"наруш\w* (?:режим\w* )?(?:прекращения огня|перемири\w*)|диверси\w*|"
     r"боестолкновени\w*)", _B, _CLASH, True),
    (r"\b(?:бо(?:й|и|ев|ях|ями)|столкновени\w*|атак\w*|атаковал\w*|наступлени\w*|"
     r"наступательн\w+ (?:действи|операци)\w*|провокаци\w*|боев\w+ действи\w*)\b", _B, _CLASH,
     False),
    (r"\b(?:убил\w*|расстрелял\w*|казнил\w*|похитил\w*)\s+(?:\w+\s+){0,2}(?:мирн|жител|"
     r"гражданск)\w*", "Violence against civilians", "Attack", True),
]]
_CALM = Blind(r"обстановк\w+ (?:\w+ ){0,3}спокойн\w*|спокойн\w+ обстановк\w*|нарушени\w+ "
                   r"(?:\w+ ){0,3}не (?:зафиксирован|было|отмечен)\w*|никакого нарушения|"
                   r"боевые действия (?:\w+ ){0,4}прекращены|соблюдают режим прекращения огня|"
                   r"(?:прошли|прошла|было) (?:относительно )?(?:спокойно|без обстрелов)")
# where fire came from, not where it landed: "с территории", "со стартовых позиций в"
_ORIGIN_BEFORE = Blind(r"(?:с\s+территори\w+|со стороны|позици\w+\s+(?:в|на)|с позиций\s+"
                            r"(?:\w+\s+){0,3}(?:в|на)?)\s+(?:\w+\s+){0,2}$")
# "с позиций близ села Нораван", "с позиций в направлении населенных пунктов Азизли":
# where the fire came from; "в направлении села Ахмедлы" alone is where it went
_FROM_POSITIONS_RU = Blind(r"\bс\s+(?:\w+\s+)?позици\w+\s+(?:[\w-]+\s+){0,5}$")
_TOWARDS_RU = Blind(r"\bв\s+направлении\s+(?:[\w-]+\s+){0,3}$")
_LIST_GAP_RU = re.compile(r"\s*(?:,|и|,\s*а также)\s*")


def _origins(places: list[PlaceMention], text: str) -> list[PlaceMention]:
    """Places named as where fire came from, and those listed after them ("с территории
    Бердского, Чамбаракского и Варденисского районов")."""
    out: list[PlaceMention] = []
    ordered = sorted(places, key=lambda p: p.offset)
    for n, p in enumerate(ordered):
        before = text[max(0, p.offset - 60):p.offset]
        towards = _TOWARDS_RU.search(before)
        from_positions = _FROM_POSITIONS_RU.search(before)
        if towards and not (from_positions and from_positions.start() < towards.start()):
            continue
        if from_positions or _ORIGIN_BEFORE.search(text[max(0, p.offset - 40):p.offset]) or (
                n and ordered[n - 1] in out and _LIST_GAP_RU.fullmatch(
                    text[ordered[n - 1].offset + len(ordered[n - 1].text):p.offset])):
            out.append(p)
    return out


_PRESENT_RU = Blind(r"\b(?:подвергает\w*|подвергают\w*|обстреливает\w*|обстреливают\w*|"
                         r"наносит|наносят|ведет огонь|ведёт огонь|ведут огонь|продолжа\w+ "
                         r"обстрел\w*|идут|ведутся|продолжаются)\b")
_HYPOTHETICAL = Blind(r"(?:может|могут|угрож\w*|намерен\w*|планир\w*|будет|будут|"
                           r"готов\w*|если)\s+(?:\w+\s+){0,3}$")
_NEGATED = Blind(r"\bне\s+(?:\w+\s+)?$")
_STOPPING = Blind(r"\b(?:прекрат|прекращ|останов|заверш)\w*\s+$")
_WEAPONS_RU = [(Blind(p), w) for p, w in [
    (r"кассетн", WeaponClass.CLUSTER_MUNITION), (r"баллистич|искандер|точка-у|скад|эльбрус",
                                                WeaponClass.BALLISTIC_MISSILE),
    (r"беспилотн|бпла|дрон|байрактар", WeaponClass.ARMED_DRONE),
    (r"смерч|град|рсзо|залпов|полонез", WeaponClass.ROCKET), (r"ракет", WeaponClass.MISSILE),
    (r"миномет|миномёт", WeaponClass.MORTAR), (r"артиллер|гаубиц|снаряд", WeaponClass.ARTILLERY),
    (r"авиаци|самол[её]т|бомб", WeaponClass.AVIATION), (r"танк", WeaponClass.TANK),
    (r"стрелков|автоматическ|снайпер|пулем[её]т|гранатом[её]т", WeaponClass.SMALL_ARMS)]]
_CIVILIAN = Blind(r"мирн\w+ (?:жител|населени)|гражданск\w+|жил\w+ (?:дом|квартал|район)|"
                       r"школ|больниц|роддом|детск\w+ сад|рынок|фабрик")
_MILITARY = Blind(r"позици\w*|военн\w+ (?:объект|част|техник)|подразделени\w*|"
                       r"военнослужащ\w*|танк\w*")


@dataclass(frozen=True)
class _Trigger:
    text: str
    offset: int
    event_type: str
    sub_type: str
    strong: bool


def find_triggers_ru(text: str) -> list[_Trigger]:
    """Event triggers in one Russian sentence, in order; the first rule wins a span."""
    return list(_triggers_ru(text))


@lru_cache(maxsize=1024)
def _triggers_ru(text: str) -> tuple[_Trigger, ...]:  # events and perpetrators read it twice
    found: list[_Trigger] = []
    taken: list[tuple[int, int]] = []
    for pattern, event_type, sub_type, strong in _TRIGGERS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            before = text[max(0, m.start() - 40):m.start()]
            if _HYPOTHETICAL.search(before) or (_NEGATED.search(before) and not strong) or (
                    not strong and _STOPPING.search(before)):
                continue  # "нет желания прекратить боевые действия": no event
            taken.append((m.start(), m.end()))
            sub = sub_type
            if event_type == _B and sub == _CLASH and weapon_ru(
                    text[m.start():m.start() + 90]) not in (WeaponClass.UNKNOWN,
                                                            WeaponClass.SMALL_ARMS):
                event_type, sub = _E, _SHELL  # "открыли огонь из артиллерии"
            elif event_type == _E and sub == _SHELL and weapon_ru(
                    text[m.start():m.start() + 90]) is WeaponClass.SMALL_ARMS:
                event_type, sub = _B, _CLASH  # "обстреливали из пулеметов": small arms
            found.append(_Trigger(m.group(0), m.start(), event_type, sub, strong))
    return tuple(sorted(found, key=lambda t: t.offset))


def weapon_ru(text: str) -> WeaponClass:
    return next((w for p, w in _WEAPONS_RU if p.search(text)), WeaponClass.UNKNOWN)


def _target(text: str) -> str:
    civilian, military = bool(_CIVILIAN.search(text)), bool(_MILITARY.search(text))
    return "mixed" if civilian and military else "civilian" if civilian else \
        "military" if military else "unknown"


def _events(sentences: Sequence[Sentence], dates: dict, places: dict, numbers: dict,
            published: date) -> list[EventProposal]:
    from datetime import timedelta

    from ...domain.precision import TimePrecision

    events: list[EventProposal] = []
    carried = None
    for s in sentences:
        own = [d for d in dates[s.index] if d.refers_to == "event"]
        if is_background(dates[s.index], published):
            continue
        if own:
            start, end, precision, penalty, words = own[0].start, own[0].end, own[0].precision, \
                0.0, own[0].text
        elif carried is not None:
            start, end, precision, penalty, words = carried.start, carried.end, \
                carried.precision, -0.05, None
        else:
            start, end, precision, penalty, words = published - timedelta(days=1), published, \
                TimePrecision.DAYS, -0.15, None
        if not own and _PRESENT_RU.search(s.text):  # "Степанакерт подвергается обстрелу"
            start = end = published
            precision, penalty = TimePrecision.DAY, -0.05
        here: list[PlaceMention] = places[s.index]
        if _CALM.search(s.text):
            events.append(EventProposal(
                kind="situation", event_type=None, sub_type=None, weapon_class="none",
                start=start if own else published, end=end if own else published,
                time_precision=precision if own else TimePrecision.DAY, sentence=s.index,
                text=s.text, confidence=0.7, trigger=_CALM.search(s.text).group(0),  # type: ignore[union-attr]
                place=here[0] if here else None, sentences=(s.index,), date_words=words))
        calm = _CALM.search(s.text)
        triggers = [t for t in find_triggers_ru(s.text)
                    if not (calm and calm.start() <= t.offset < calm.end())]
        for n, t in enumerate(triggers):
            b = triggers[n + 1].offset if n + 1 < len(triggers) and \
                triggers[n + 1].event_type != t.event_type else len(s.text)
            same_before = n > 0 and triggers[n - 1].event_type == t.event_type
            origins = _origins(here, s.text) if here else []
            after = [p for p in here if t.offset <= p.offset < b and p not in origins]
            before = [p for p in here if p.offset < t.offset]
            targets = after or ([] if same_before else before[-1:])
            if same_before and not targets:
                continue  # the same event told again in the sentence
            dated = bool(own) or bool(_PRESENT_RU.search(s.text))
            if not t.strong and not targets and not dated:
                continue
            segment = s.text[t.offset:b]
            listed = (_listed(targets, s.text) if after else _listed_before(before, s.text)) \
                if targets else [None]
            listed = [_settlement_beside(p, after + before, t.offset, b) for p in listed]
            for place in listed:
                events.append(EventProposal(
                    kind="incident", event_type=t.event_type, sub_type=t.sub_type,
                    weapon_class=weapon_ru(s.text).value, start=start, end=end,
                    time_precision=precision, sentence=s.index, text=s.text,
                    confidence=round(min((0.8 if t.strong else 0.6) + penalty
                                         + (0.1 if place else 0.0), 0.95), 2),
                    trigger=t.text, place=place,
                    numbers=tuple(x for x in numbers[s.index] if t.offset <= x.offset < b
                                  or len(triggers) == 1),
                    target_type=_target(segment), sentences=(s.index,),
                    dated=penalty > -0.15, date_words=words,
                    vague=not t.strong and not (_GROUND_COMBAT_RU.match(t.text) and not
                                                _DURING_RU.search(s.text, 0, t.offset))))
        if own:
            carried = own[-1]
    return events


# fighting told as such ("идут ожесточенные бои", "наступление") is ground combat, an event of
# its own beside shelling told next to it; an "атака" or a "провокация" may be that shelling
_GROUND_COMBAT_RU = Blind(r"(?:бо(?:й|и|ев|ях|ями)|боев\w+ действи\w*|наступлени\w*|"
                               r"наступательн\w+ (?:действи|операци)\w*|столкновени\w*)$")


_DURING_RU = Blind(r"\b(?:в ходе|во время|в результате|в разгар)\s+(?:\w+\s+)?$")


def _listed(targets: list[PlaceMention], text: str) -> list[PlaceMention]:
    """The first target and those listed with it ("Геранбойского, Тертерского и
    Агдамского районов"): one event each."""
    ordered = sorted(targets, key=lambda p: p.offset)
    out = [ordered[0]]
    for a, b in zip(ordered, ordered[1:], strict=False):
        gap = text[a.offset + len(a.text):b.offset]
        if not re.fullmatch(r"\s*(?:,|и|,\s*а также)\s*(?:(?:населенн|населённ)\w+\s+пункт\w*|"
                            r"сел\w*|город\w*|поселк\w*|посёлк\w*|деревн\w*)?\s*", gap, re.I) \
                or b.key == out[-1].key:
            break
        out.append(b)
    return out


def _listed_before(before: list[PlaceMention], text: str) -> list[PlaceMention]:
    """The subject of a passive and those listed with it, read back from the verb
    ("Товузский, Гедабейский и Дашкесанский районы ... были обстреляны"): one event each."""
    ordered = sorted(before, key=lambda p: p.offset)
    out = [ordered[-1]]
    for a, b in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=False):
        if b is not out[-1] or a.key == b.key or not _LIST_GAP_RU.fullmatch(
                text[a.offset + len(a.text):b.offset]):
            break
        out.append(a)
    return out[::-1]


_SPEECH_RU: list[tuple[re.Pattern[str], str]] = [(Blind(p), s) for p, s in [
    (r"\b(?:опроверг\w*|отрица\w*|отверг\w*|опровергл\w*|назва\w+ (?:\w+ ){0,2}(?:ложью|"
     r"ложн\w+|лживы\w+|дезинформаци\w+|фейк\w*|безосновательн\w+|клевет\w+|провокаци\w+))",
     "denies"),
    (r"\b(?:подтверди\w*|подтвержда\w*|признал\w*)", "confirms"),
    (r"\b(?:обвини\w*|обвиня\w*|возлож\w+ ответственност\w*)", "attributes"),
    (r"\b(?:оспори\w*|оспарива\w*)", "disputes"),
    (r"\b(?:сообщ(?:ил|ила|ило|или|ает|ают|ал|ала|ало|али)|заяв(?:ил|ила|ило|или|ляет|ляют|лял|"
     r"ляла|ляли)|отмечал\w*|говорил\w*|сказа(?:л|ла|ло|ли)|утвержда(?:ет|ют|л|ла|ло|ли)|"
     r"отмети(?:л|ла|ло|ли)|отмечает|отмечают|добави(?:л|ла|ло|ли)|написа(?:л|ла|ли)|пишет|"
     r"подчеркну(?:л|ла|ло|ли)|подчеркивается|говорится|указано|указывается|передает|передаёт|"
     r"цитирует|рассказа(?:л|ла|ли)|уточни(?:л|ла|ли)|проинформирова\w+|информирует|"
     r"ответил\w*)\b", "asserts"),
]]
_REFUTE_RU = Blind(r"ложн\w*|лож[ьи]\b|лжив\w*|дезинформаци\w*|не соответству\w+ "
                        r"действительности|провокаци\w+ противника|фейк\w*|не вели огонь|"
                        r"огонь не (?:вел\w*|открывал\w*)|"
                        r"не открывал\w* огонь|безосновательн\w*")
_ACCORDING = Blind(r"\b(?:по данным|по словам|по информации|как сообщ\w+|согласно "
                        r"(?:заявлению|сообщению|данным|информации))\s+([^,.]+)")
_SPEAKER_NOUNS = Blind(r"министерств|минобороны|мид\b|ведомств|пресс-|служб|прокуратур|"
                            r"генпрокуратур|омбудсмен|президент|представител|власт|центр|"
                            r"агентств|штаб|генштаб|корреспондент|обозревател|помощник|глава|"
                            r"секретар|армия|арми[иия]|\bвс\b|"
                            r"(?:армянск|азербайджанск|карабахск|пакистанск|индийск|российск|"
                            r"украинск)\w*\s+сторон")  # "армянская сторона заявила"
_NAME = re.compile(r"(?<!^)\b[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+|^[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]{3,}\s*$")


# a state or its capital speaking for its government: "Ереван опроверг", "Баку заявил"
_STATE_SPEAKER = re.compile(r"(?:официальн\w+\s+)?(?:Армения|Азербайджан|Ереван|Баку|Москва|Анкара|"
                            r"Киев|Россия|Украина|Пакистан|Индия|Турция|Степанакерт)")


class _Speaker:
    @staticmethod
    def search(words: str) -> bool:
        return bool(_SPEAKER_NOUNS.search(words) or _NAME.search(words.strip())
                    or _STATE_SPEAKER.fullmatch(words.strip()))


_SPEAKER_WORDS = _Speaker()
_RELAY_RU = Blind(r"^(?:тасс|риа новости|интерфакс|«интерфакс»|\"интерфакс\"|report|trend|"
                       r"apa|азертадж|арменпресс|sputnik|спутник|unn|унн)\W*$")
_PRONOUN = Blind(r"^(?:он|она|оно|они)$")
_LEAD_IN = Blind(r"^(?:в|во|об этом|как|также|при этом|кроме того|ранее|позже|"
                      r"в свою очередь|между тем)\s+")


_ASIDE = Blind(r"\bв свою очередь\b|\bтакже\b|\bпозже\b|\bранее\b|\bнакануне\b|\bсегодня\b|"
                    r"\bвчера\b|\b(?:в|во)\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|"
                    r"воскресенье)\b|^(?:понедельник|вторник|среду|четверг|пятницу|субботу|"
                    r"воскресенье)\b|\bв (?:своем |своём )?"
                    r"(?:telegram|телеграм|facebook|twitter|фейсбук)[\w-]*(?:\s+канале)?|"
                    r"\bна своей странице в \w+|^\d{1,2}\s+\w+\s+")


def _clean_actor(words: str) -> str:
    words = _ASIDE.sub(" ", words)
    words = re.sub(r"\s+", " ", words).strip(" ,.;:—–-«»\"“”")
    words = _LEAD_IN.sub("", words)
    words = re.sub(r"^(?:в|во|об этом)\s+", "", words, flags=re.I)
    words = re.split(r",\s*(?:что|как)\b|\s+что\b", words)[0]
    return words.strip(" ,.;:—–-«»\"“”")


def _claims_ru(sentence: Sentence, last: list[tuple[str, str | None]]) -> list[ClaimProposal]:
    from .claims import guess_party

    text = sentence.text
    found: list[ClaimProposal] = []
    hits = sorted(((m, stance) for p, stance in _SPEECH_RU for m in p.finditer(text)),
                  key=lambda h: h[0].start())
    for m, stance in hits:
        if any(c.offset == m.start() for c in found):
            continue
        before = text[:m.start()]
        after = text[m.end():]
        lead = re.search(r"(?:^|[»\"”]\s*[,—–-]+\s*|[,—–-]\s+|\bчто\s+|\bкак\s+)([^,—–«»\"]*)$",
                         before)
        head = lead.group(1) if lead else before
        actor = ""
        if m.group(0).lower() in ("говорится", "указано", "указывается", "подчеркивается"):
            inside = re.search(r"\bв\s+(?:сообщени\w*|заявлени\w*|пресс-релиз\w*)\s+(?:,\s*)?"
                               r"([^,.;«»\"]+)", after)
            actor = _clean_actor(inside.group(1)) if inside else ""
        elif _SPEAKER_WORDS.search(head) and not re.search(r"[«\"”»]\s*$", head.strip()) and \
                _clean_actor(head):
            actor = _clean_actor(head)
        else:
            rest = re.sub(r"^\s*(?:сегодня|вчера|накануне)?\s*,?\s*(?:\d{1,2}\s+[а-я]+\s*,\s*)?", "",
                          after)
            tail = re.match(r"\s*(?:в свою очередь\s+|также\s+)?([^,.;«»\"]+)"
                            r"(,\s*(?:[а-я-]+\s+){0,2}[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+)?", rest)
            actor = _clean_actor(tail.group(1) + (tail.group(2) or "")) if tail else ""
            if actor and not _SPEAKER_WORDS.search(actor):
                actor = ""
        if actor and _PRONOUN.match(actor.split()[0]) and last:
            actor = last[-1][0]
        elif not actor and re.match(r"^\s*(?:он|она|они)\b", head, re.I) and last:
            actor = last[-1][0]
        if not actor or _RELAY_RU.match(actor) or len(actor.split()) > 12:
            continue
        if stance == "asserts" and _REFUTE_RU.search(text):
            stance = "denies"
        party = guess_party(actor) or _party_ru(actor)
        last.append((actor, party))
        value = None
        if stance == "attributes":
            obj = re.match(r"\s*([А-ЯЁ][а-яё]+|\w+\s+[А-ЯЁ][а-яё]+)", after)
            value = obj.group(1) if obj else None
        found.append(ClaimProposal(
            actor=actor, stance=stance, proposition="perpetrator" if stance == "attributes"
            else "happened", sentence=sentence.index, text=text, confidence=0.7,
            verb=m.group(0), party=party, value=value, offset=m.start()))
    for m in _ACCORDING.finditer(text):
        actor = _names_nominative(_clean_actor(m.group(1)))
        if actor and not _RELAY_RU.match(actor):
            found.append(ClaimProposal(actor=actor, stance="asserts", proposition="happened",
                                       sentence=sentence.index, text=text, confidence=0.6,
                                       verb=m.group(0).split()[0] + " " + m.group(0).split()[1],
                                       party=_party_ru(actor)))
    # one claim per speaker and stance in a sentence
    seen: set[tuple[str, str]] = set()
    unique = []
    for c in found:
        key = (c.actor.lower(), c.stance)
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def _names_nominative(actor: str) -> str:
    """"пресс-секретаря Ваграма Погосяна" -> "пресс-секретаря Ваграм Погосян": after "по
    словам", "согласно заявлению" the speaker stands in the genitive; a person's name is
    given in its own form (the rest of the phrase as written)."""
    from .russian_words import morph

    def own(m: re.Match[str]) -> str:
        word = m.group(0)
        for p in morph().parse(word):
            if "gent" in p.tag and ("Name" in p.tag or "Surn" in p.tag or "Patr" in p.tag):
                form = p.inflect({"nomn"})
                if form:
                    return form.word[:1].upper() + form.word[1:]
        return word
    return re.sub(r"(?<![-\w])[А-ЯЁ][а-яё]+(?:ой|а|я|и|ы)\b", own, actor)


def _party_ru(text: str) -> str | None:
    low = text.lower()
    for code, stems in (("NKR", ("карабах", "нкр", "арцах", "бегларян")),
                        ("AZE", ("азербайджан", "баку", "гаджиев", "алиев", "эйвазов")),
                        ("ARM", ("армени", "ереван", "степанян", "ованнисян", "пашинян"))):
        if any(s in low for s in stems):
            return code
    return None


def extract_ru(text: str, published: date, source_name: str, index: PlaceIndex,
               zone: tzinfo) -> Extraction:
    """Proposals for one Russian text (see the module docstring)."""
    from .attribution import speaker_party

    cleaned = clean(text)
    sentences = split_sentences(cleaned.paragraphs)
    dates = {s.index: find_dates_ru(s.text, published, s.index) for s in sentences}
    places = settle_ambiguous({s.index: find_places_ru(s.text, s.index, index)
                               for s in sentences}, index)
    numbers = {s.index: find_numbers_ru(s.text, s.index) for s in sentences}
    events = fold_nearby(merge_events(_events(sentences, dates, places, numbers, published)),
                         {s.index: s.paragraph for s in sentences})
    last: list[tuple[str, str | None]] = []
    claims: list[ClaimProposal] = []
    for s in sentences:
        claims.extend(_claims_ru(s, last))
    linked = []
    for c in claims:
        here = [k for k, e in enumerate(events) if c.sentence in e.sentences]
        if not here and re.search(r"\bэт\w+ информаци|\bинформаци|\bсообщени\w+ армян|"
                                  r"\bсообщени\w+ азербайджан", c.text, re.I):
            here = [k for k, e in enumerate(events) if c.sentence - 1 in e.sentences]
        linked.append(replace(c, event=here[0] if here else None))
    claims = one_per_speaker([c for c in linked if not is_relay(c.actor, c.verb)])
    agreements = find_agreements(sentences, published, zone, "ru",
                                 lambda t: next((d.start for d in find_dates_ru(t, published)),
                                                None))
    text_of = {s.index: s.text for s in sentences}
    out: list[EventProposal] = []
    for k, e in enumerate(events):
        found = None
        if e.kind == "incident" and e.event_type != _S or e.sub_type == "Disrupted weapons use":
            for i in [e.sentence] + [j for j in e.sentences if j != e.sentence]:
                t = text_of[i]
                for trig in find_triggers_ru(t):
                    found = perpetrator_ru(t, trig.offset, len(t),
                                           speaker_party(i, claims, source_name)
                                           or _party_ru(source_name),
                                           downed=e.sub_type == "Disrupted weapons use")
                    if found:
                        break
                if found:
                    break
        if found is None and e.sub_type == "Government regains territory":
            # "Алиев заявил о взятии под контроль": a side tells of its own gains
            who = speaker_party(e.sentence, claims, source_name)
            found = Perpetrator(who, "", e.offset if hasattr(e, "offset") else 0, "speaker") \
                if who else None
        if found:
            e = replace(e, perpetrator=found.party, perpetrator_words=found.words
                        if found.words in e.text else None)
            speaker = next((c for c in claims if c.event == k), None) or next(
                (c for c in claims if c.sentence <= e.sentence), None)
            if not any(c.event == k and c.stance == "attributes" for c in claims):
                claims.append(ClaimProposal(
                    actor=speaker.actor if speaker else (source_name or "источник"),
                    stance="attributes", proposition="perpetrator", sentence=e.sentence,
                    text=e.text, confidence=0.7, verb=found.words,
                    party=speaker.party if speaker else None, event=k, value=found.party,
                    basis="wording"))
        out.append(e)
    return Extraction(
        events=tuple(out), claims=tuple(claims),
        places=tuple(p for s in sentences for p in places[s.index]),
        numbers=tuple(n for s in sentences for n in numbers[s.index]),
        sentences=sentences, dropped=tuple(cleaned.dropped), agreements=tuple(agreements),
        language="ru", relays=tuple(find_relays(sentences)))
