"""What a new idea must say, checked once for every channel: the page, the API, the kiosk.

A draft is plain values; `problems` names each field that breaks a rule with the message
shown beside it. Forms, the JSON API and kiosk sync all build a draft and ask here, so the
rules cannot drift apart between them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from app.geo import point_in_polygon
from app.ideas.photos import ProcessedPhoto
from app.models import Space
from app.models.idea import BODY_MAX, TITLE_MAX
from app.spaces.landmarks import find_landmark
from app.text import N_, _

TITLE_MIN = 5
FIELDS = ("title", "body", "category", "lat", "lng", "landmark", "anywhere")
LOCATION_MISSING = N_("Set the place of your idea: tap the map or use your location.")
LOCATION_MISSING_OR_LANDMARK = N_("Set the place of your idea: choose a place from the list, or put a pin on the map.")
NOT_A_NUMBER = N_("The location must be a number.")


@dataclass(frozen=True)
class IdeaDraft:
    title: str
    body: str = ""
    category: str = ""
    lat: float | None = None
    lng: float | None = None
    photo: ProcessedPhoto | None = None
    #: The name of one of the space's landmarks, chosen instead of pointing at the map.
    landmark: str = ""
    #: "Somewhere in the space": no spot at all, where the space allows it.
    anywhere: bool = False
    # Fields whose value could not be read (a coordinate that is not a number): their message.
    unreadable: dict[str, str] = field(default_factory=dict)


def coordinate(value: object) -> float | None:
    """A typed or sent coordinate as a finite float; None when left empty.

    ValueError (with the message for the person) for anything that is not a number.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(_(NOT_A_NUMBER))
    try:
        number = float(value)
    except (ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(_(NOT_A_NUMBER))
    return number


def draft_from_mapping(values: Mapping) -> tuple[IdeaDraft, dict[str, str]]:
    """A draft from JSON-like values (API, kiosk sync), and the fields that were not even
    of the right JSON type ("'title' must be text.", "'lat' must be a number.")."""
    wrong: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    texts = {}
    for name in ("title", "body", "category", "landmark"):
        value = values.get(name)
        if value is not None and not isinstance(value, str):
            wrong[name] = _("'%(name)s' must be text.", name=name)
        texts[name] = value.strip() if isinstance(value, str) else ""
    anywhere = values.get("anywhere", False)
    if not isinstance(anywhere, bool):
        wrong["anywhere"], anywhere = _("'%(name)s' must be true or false.", name="anywhere"), False
    place = {}
    for name in ("lat", "lng"):
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
            wrong[name], place[name] = _("'%(name)s' must be a number.", name=name), None
            continue
        try:
            place[name] = coordinate(value)
        except ValueError as exc:
            unreadable[name], place[name] = str(exc), None
    return IdeaDraft(texts["title"], texts["body"], texts["category"], place["lat"], place["lng"],
                     landmark=texts["landmark"], anywhere=anywhere, unreadable=unreadable), wrong


def located(space: Space, draft: IdeaDraft) -> IdeaDraft:
    """The draft at its landmark's point when it names one of the space's landmarks, or at
    no spot when it is "somewhere in the space" and the space allows that: the choice is the
    place, whatever coordinates came with it."""
    if draft.anywhere:
        return replace(draft, lat=None, lng=None, landmark="") if space.ideas_anywhere else \
            located(space, replace(draft, anywhere=False))
    landmark = find_landmark(space.landmarks, draft.landmark) if draft.landmark else None
    return draft if landmark is None else replace(draft, lat=landmark["lat"], lng=landmark["lng"])


def problems(space: Space, draft: IdeaDraft, *, place_required: bool = True) -> dict[str, str]:
    """Each field of the draft that breaks a rule, with its message; empty when all is well."""
    found: dict[str, str] = {}
    if not draft.title:
        found["title"] = _("Give your idea a title.")
    elif not TITLE_MIN <= len(draft.title) <= TITLE_MAX:
        found["title"] = _("The title needs %(min)s to %(max)s characters.", min=TITLE_MIN, max=TITLE_MAX)
    if len(draft.body) > BODY_MAX:
        found["body"] = _("Keep the description under %(max)s characters.", max=BODY_MAX)
    if draft.category not in space.categories:
        found["category"] = _("Choose one of the categories in the list.")
    place = located(space, draft)
    if draft.anywhere and not space.ideas_anywhere:
        found["anywhere"] = _("This space asks where each idea belongs: put a pin on the map.")
    elif place.landmark and find_landmark(space.landmarks, place.landmark) is None:
        found["landmark"] = _("Choose one of the places in the list, or put a pin on the map.")
    found.update(_place_problems(space, place, place_required and not place.anywhere))
    found.update(draft.unreadable)
    return found


def _place_problems(space: Space, draft: IdeaDraft, place_required: bool) -> dict[str, str]:
    lat, lng = draft.lat, draft.lng
    if lat is None and lng is None:
        if not place_required:
            return {}
        return {"lat": _(LOCATION_MISSING_OR_LANDMARK if space.landmarks else LOCATION_MISSING)}
    if lat is None or lng is None:
        if not place_required:
            return {"lat": _("Give both coordinates of the place, or none.")}
        return {"lat" if lat is None else "lng": _(LOCATION_MISSING)}
    if not -90 <= lat <= 90:
        return {"lat": _("The latitude must lie between -90 and 90.")}
    if not -180 <= lng <= 180:
        return {"lng": _("The longitude must lie between -180 and 180.")}
    if space.boundary and not point_in_polygon(lat, lng, space.boundary):
        return {"lng": _("That place is outside %(space)s; pick a spot inside the outline.", space=space.name)}
    return {}
