"""General shapes of unseen reporting: each read by a rule that names no document."""

from __future__ import annotations

from datetime import date

from truce.ingest.text import extract

PUBLISHED = date(2020, 10, 20)


def events(text: str, fake, **kw) -> list[tuple[str, str | None]]:
    x = extract(text, PUBLISHED, extractor=fake, **kw)
    return sorted((e.event_type or e.kind, e.place.key if e.place else None) for e in x.events)


def test_coordinated_weapons_are_one_strike(fake):
    assert events("The adversary carried out missile and artillery strikes on Tartar.", fake) == [
        ("Explosions/Remote violence", "gn:584871")]


def test_missiles_launched_at_a_city_and_destroyed_are_a_strike_and_an_interception(fake):
    assert events("Azerbaijani air defense destroyed Armenian missiles launched at Mingachevir.",
                  fake) == [("Explosions/Remote violence", "gn:585514"),
                            ("Strategic developments", "gn:585514")]


def test_fighting_and_shelling_told_apart_are_two_events(fake):
    text = ("New fighting erupted on Sunday between Azerbaijan and ethnic Armenian forces. "
            "Armenia accused Azeri forces of shelling civilian settlements.")
    assert events(text, fake) == [("Battles", None), ("Explosions/Remote violence", None)]


def test_a_ceasefire_violated_in_two_sectors_is_an_event_in_each(fake):
    text = ("Four civilians were killed when Indian troops resorted to unprovoked firing across the "
            "Line of Control. The soldiers violated the ceasefire in Nikial and Bagsar sectors.")
    assert events(text, fake) == [("Battles", "unresolved:Bagsar"), ("Battles", "unresolved:Nikial")]


def test_a_countrys_possessive_is_no_place_and_its_city_is(fake):
    assert events("Twelve were killed in a missile attack on Azerbaijan's second city Ganja.", fake) \
        == [("Explosions/Remote violence", "gn:586523")]


def test_a_dateline_is_where_the_story_was_written(fake):
    x = extract("KARACHI: A civilian was injured after Indian troops opened fire in the Bagsar "
                "sector.", PUBLISHED, extractor=fake)
    assert [p.key for p in x.places] == ["unresolved:Bagsar"]


def test_a_sector_named_with_its_district_belongs_to_the_sector(fake):
    assert events("Pakistani troops violated the ceasefire in Poonch district's Krishna Ghati sector "
                  "on Sunday.", fake) == [("Battles", "unresolved:Krishna Ghati")]


def test_occupied_territories_and_detained_persons_are_no_events(fake):
    assert events("During shelling from the temporarily occupied areas on October 19, a shell hit "
                  "a school in Tartar.", fake) == [("Explosions/Remote violence", "gn:584871")]
    assert events("A ceasefire is declared from October 10 to exchange prisoners of war and other "
                  "detained persons.", fake) == []


def test_russian_armenian_provinces_and_drones_downed_far_from_the_verb(fake):
    text = ("Четыре беспилотника были обнаружены в четверг в небе над Гегаркуникской и Котайкской "
            "областями Армении, все они сбиты.")
    assert events(text, fake) == [("Strategic developments", "region:Gegharkunik"),
                                  ("Strategic developments", "region:Kotayk")]


def test_russian_two_word_village_names_and_nominative_settlement_words(fake):
    x = extract("Противник начал наступление в направлении Верин Шоржа.", PUBLISHED, extractor=fake)
    assert [p.key for p in x.places] == ["unresolved:Верин Шоржа"]
    assert events("Украинские силовики обстреляли поселок Зайцево из минометов.", fake) == [
        ("Explosions/Remote violence", "unresolved:Зайцево")]


def _perpetrators(text: str, fake) -> list[tuple[str, str | None]]:
    return [(e.event_type, e.perpetrator) for e in extract(text, PUBLISHED, extractor=fake).events]


def test_a_downed_drone_names_who_downed_it_never_whose_drone_fell(fake):
    assert _perpetrators("An Azerbaijani drone was shot down over Stepanakert on Monday.", fake) == [
        ("Strategic developments", None)]
    assert _perpetrators("Azerbaijani forces shot down two Armenian Su-25 aircraft.", fake) == [
        ("Strategic developments", "AZE")]
    assert _perpetrators("Азербайджанский беспилотник был сбит над Степанакертом.", fake) == [
        ("Strategic developments", None)]
    assert _perpetrators("Армянские ПВО сбили азербайджанский беспилотник над Степанакертом.",
                         fake) == [("Strategic developments", "ARM")]


def test_russian_places_near_a_settlement_and_in_a_sector(fake):
    assert events("Позиции ВСУ у Авдеевки подверглись минометному обстрелу.", fake) == [
        ("Explosions/Remote violence", "unresolved:Авдеевки")]
    assert events("Пакистанская армия нарушила режим прекращения огня в секторе Пунч.", fake) == [
        ("Battles", "unresolved:Пунч")]


def test_the_wars_start_and_toll_to_date_are_background(fake):
    x = extract("Fighting over Nagorno-Karabakh erupted on Sept. 27 and has killed more than 1,000 "
                "people.", date(2020, 10, 28), extractor=fake)
    assert x.events == ()


def test_the_speaker_is_no_doer_and_the_accused_is(fake):
    assert _perpetrators("Ukraine's military said two soldiers were killed when Russian-backed "
                         "separatists attacked their positions near the village of Shumy.", fake) \
        == [("Battles", "RUS")]
    assert sorted(_perpetrators("India's army accused Pakistan of violating the truce in the "
                                "Rajouri and Poonch districts.", fake)) == [("Battles", "PAK")] * 2


def test_listed_villages_the_gazetteer_lacks_are_each_a_target(fake):
    assert events("Azerbaijani forces shelled the villages of Karmir Shuka and Taghavard.", fake) \
        == [("Explosions/Remote violence", "truce:karmir-shuka"),
            ("Explosions/Remote violence", "unresolved:Taghavard")]
    assert events("Украинские силовики обстреляли населенные пункты Горловка и Докучаевск.", fake) \
        == [("Explosions/Remote violence", "unresolved:Горловка"),
            ("Explosions/Remote violence", "unresolved:Докучаевск")]


def test_russian_fighting_beside_shelling_is_its_own_event_but_not_fighting_as_a_frame(fake):
    text = ("Азербайджанские войска в ночь на понедельник обстреляли Степанакерт. "
            "На южном направлении продолжаются ожесточенные бои.")
    assert events(text, fake) == [("Battles", None), ("Explosions/Remote violence", "gn:146970")]
    assert events("Военный объект был уничтожен точечным ударом в ходе боевых действий в "
                  "направлении Товузского района.", fake) == [
        ("Explosions/Remote violence", "gn:584821")]


def test_a_partys_side_speaks_for_it_but_each_side_does_not():
    def spoken(text: str) -> list[tuple[str, str]]:
        return [(c.actor, c.stance) for c in extract(text, PUBLISHED).claims if c.basis == "speech"]
    assert spoken("The Armenian side has denied the claims.") == [("Armenian side", "denies")]
    assert spoken("Each side blamed the other.") == []
    assert spoken("Армянская сторона опровергла эти сообщения.") == [("Армянская сторона", "denies")]
