"""Load and validate pose files (TOML) into `PoseSpec`.

A pose file is pure data: checks name a feature from `features.REGISTRY`, the bounds it must
stay within, the camera views it can be judged from, and the cue to show. Nothing in a pose
file is ever evaluated as code. Every error names the file, the place and the valid choices.
"""

from __future__ import annotations

import difflib
import math
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from posecheck.core.features import REGISTRY
from posecheck.core.landmarks import SEEN_VISIBILITY
from posecheck.core.sides import DETECTORS, LEG_ROLES
from posecheck.core.views import VIEWS

KINDS = ("fault", "tip")
LIMBS = ("left", "right", "both", "either", "seen", "nearest", "working", "other")
MATCHES = ("all", "any")
PLACEHOLDERS = ("{working}", "{other}")
DEFAULT_TOLERANCE = {"deg": 5.0, "torso": 0.05, "ratio": 0.05}


class PoseFileError(ValueError):
    """A pose file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Condition:
    feature: str
    limb: str | None
    min: float | None
    max: float | None
    tolerance: float
    #: how far past a bound a value is only "not sure" (neither pass nor fail): the band
    #: where the camera's error is as large as the fault, learned on the training clips
    margin: float = 0.0


@dataclass(frozen=True)
class Check:
    id: str
    kind: str
    core: bool
    views: tuple[str, ...]
    cue: str
    what: str
    match: str
    conditions: tuple[Condition, ...]
    unsupported: str = ""  # why no camera view can judge it yet: always unknown, never guessed
    #: the steepest camera (degrees above the floor, `elevation`) it can be judged from
    max_elevation: float | None = None
    #: what the voice says for this fault (None: the cue; "": nothing)
    say: str | None = None
    #: its name for people to read ("Heels down"); the id stays in JSON, CSV and `poses show`
    title: str = ""

    @property
    def name(self) -> str:
        return self.title or self.id.replace("-", " ").capitalize()


@dataclass(frozen=True)
class Phase:
    name: str
    conditions: tuple[Condition, ...]
    #: the leg ("working" or "other") this phase hides from any camera, and what to say when
    #: a core check cannot see it (instead of "Can't see your left ankle", which asks for a
    #: camera move that would not help)
    hidden_leg: str | None = None
    hidden_cue: str = ""


@dataclass(frozen=True)
class PoseSpec:
    name: str
    title: str
    description: str
    camera: str
    best_views: tuple[str, ...]
    hold_s: float
    priority: int
    side_detect: str | None
    visibility: float
    recognise: tuple[Condition, ...]
    phases: tuple[Phase, ...]
    checks: tuple[Check, ...]
    path: str
    side_legs: str | None = None  # LEG_ROLES: rename the legs by their role each frame
    #: landmarks count as seen for recognition from this visibility (the checks keep
    #: `visibility`): a pose may be named while a limb is hidden, its checks staying unknown
    recognise_visibility: float | None = None
    #: the body lies on the mat, so a camera may see it end-on (`views.estimate_view`)
    lying: bool = False
    #: how the voice names a side ("{working} leg forward"); "" says "right side"
    side_say: str = ""

    @property
    def recognise_seen_from(self) -> float:
        return self.visibility if self.recognise_visibility is None else self.recognise_visibility

    @property
    def asymmetric(self) -> bool:
        return self.side_detect is not None

    @property
    def needs_elevation(self) -> bool:
        """A check is judged only from a camera no steeper than its `max_elevation`."""
        return any(c.max_elevation is not None for c in self.checks)

    def phase_named(self, name: str | None) -> Phase | None:
        return next((p for p in self.phases if p.name == name), None)


class _Reader:
    """Typed access to one TOML table, raising errors that say where."""

    def __init__(self, path: str, where: str, table: object, allowed: tuple[str, ...]):
        self.path, self.where = path, where
        if not isinstance(table, dict):
            self.fail(f"must be a table, not {type(table).__name__}")
        self.table = table
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            self.fail(f"unknown key '{_show(unknown[0])}' (valid: {', '.join(allowed)})")

    def fail(self, message: str):
        raise PoseFileError(f"{self.path}: {self.where}: {message}")

    def get(self, key: str, kind: type | tuple[type, ...], default=...):
        if key not in self.table:
            if default is ...:
                self.fail(f"missing required key '{key}'")
            return default
        value = self.table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            self.fail(f"'{key}' must be {names}, not {type(value).__name__}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(f"'{key}' must be a finite number")
        return value

    def number(self, key: str, default=..., low: float = -1e6, high: float = 1e6):
        value = self.get(key, (int, float), default)
        if value is not None and value is not default and not low <= value <= high:
            self.fail(f"'{key}' = {_show(value)} is out of range ({low:g} to {high:g})")
        return None if value is None else float(value)

    def choice(self, key: str, choices: tuple[str, ...], default=...):
        value = self.get(key, str, default)
        if value is not None and value not in choices:
            self.fail(f"'{key}' = '{_show(value)}' is not valid (valid: {', '.join(choices)})")
        return value

    def choices(self, key: str, choices: tuple[str, ...], default=...):
        values = self.get(key, list, default)
        for value in values:
            if value not in choices:
                self.fail(f"'{key}' has '{_show(value)}', not valid "
                          f"(valid: {', '.join(choices)})")
        return tuple(values)


def _show(value: object) -> str:
    """A value as a message shows it: on one line (control characters such as a newline
    escaped, as in a TOML string), a huge number or a long text cut short."""
    text = "".join(repr(c)[1:-1] if unicodedata.category(c).startswith("C") else c
                   for c in str(value))
    if len(text) <= 40:
        return text
    if isinstance(value, int):
        return f"{text[:6]}...({len(text.lstrip('-'))} digits)"
    return f"{text[:30]}...({len(text)} characters)"


def _condition(path: str, where: str, table: object, asymmetric: bool) -> Condition:
    r = _Reader(path, where, table, ("feature", "limb", "min", "max", "tolerance", "margin"))
    name = r.choice("feature", tuple(sorted(REGISTRY)))
    feature = REGISTRY[name]
    limb = r.choice("limb", LIMBS, None)
    if feature.limb and limb is None:
        r.fail(f"feature '{name}' measures one leg or arm: give 'limb' (valid: {', '.join(LIMBS)})")
    if not feature.limb and limb is not None:
        r.fail(f"feature '{name}' measures the whole body: remove 'limb'")
    if limb in ("working", "other") and not asymmetric:
        r.fail(f"limb '{limb}' needs a [side] table (only asymmetric poses have a working side)")
    low, high = r.number("min", None), r.number("max", None)
    if low is None and high is None:
        r.fail("give 'min', 'max' or both")
    if low is not None and high is not None and low > high:
        r.fail(f"'min' ({low:g}) is greater than 'max' ({high:g})")
    tolerance = r.number("tolerance", DEFAULT_TOLERANCE[feature.unit], 0, 1e3)
    return Condition(name, limb, low, high, tolerance, r.number("margin", 0.0, 0, 1e3))


def _conditions(path: str, where: str, value: object, asymmetric: bool) -> tuple[Condition, ...]:
    if not isinstance(value, list) or not value:
        raise PoseFileError(f"{path}: {where}: 'conditions' must be a non-empty list of tables")
    return tuple(
        _condition(path, f"{where} condition {i + 1}", c, asymmetric) for i, c in enumerate(value)
    )


def _phase(path: str, index: int, table, asymmetric: bool) -> Phase:
    where = f"phase {index + 1}"
    p = _Reader(path, where, table, ("name", "conditions", "hidden"))
    hidden_leg, hidden_cue = None, ""
    if "hidden" in p.table:
        if not asymmetric:
            p.fail("'hidden' names the working or other leg: the pose needs a [side] table")
        h = _Reader(path, f"{where} 'hidden'", p.get("hidden", dict), ("leg", "cue"))
        hidden_leg, hidden_cue = h.choice("leg", ("working", "other")), h.get("cue", str)
    return Phase(p.get("name", str), _conditions(path, where, p.get("conditions", list), asymmetric),
                 hidden_leg, hidden_cue)


def _check(path: str, index: int, table: object, asymmetric: bool) -> Check:
    where = f"check {index + 1}"
    if isinstance(table, dict) and isinstance(table.get("id"), str):
        where = f"check '{_show(table['id'])}'"
    r = _Reader(path, where, table,
                ("id", "title", "kind", "core", "views", "cue", "what", "match", "conditions",
                 "unsupported", "max_elevation", "say"))
    check_id = r.get("id", str)
    kind = r.choice("kind", KINDS)
    core = r.get("core", bool, False)
    if core and kind != "fault":
        r.fail("only a 'fault' check can be core")
    cue = _sentence(r, "cue", asymmetric)
    say = _sentence(r, "say", asymmetric, None)
    views = r.choices("views", (*VIEWS, "any"))
    if not views:
        r.fail("'views' must name at least one view")
    unsupported = r.get("unsupported", str, "").strip()
    if unsupported and core:
        r.fail("a core check cannot be 'unsupported' (the pose could never be judged correct)")
    return Check(
        check_id, kind, core, views, cue, r.get("what", str, ""),
        r.choice("match", MATCHES, "all"),
        _conditions(path, where, r.get("conditions", list), asymmetric),
        unsupported,
        r.number("max_elevation", None, 0, 90),
        say,
        r.get("title", str, "").strip(),
    )


def _sentence(r: _Reader, key: str, asymmetric: bool, default=...) -> str | None:
    """A cue or spoken sentence, its side placeholders checked."""
    text = r.get(key, str, default)
    for part in (text or "").split("{")[1:]:
        if "{" + part.split("}")[0] + "}" not in PLACEHOLDERS:
            r.fail(f"{key} has an unknown placeholder (valid: {', '.join(PLACEHOLDERS)})")
    if "{" in (text or "") and not asymmetric:
        r.fail(f"{key} placeholders need a [side] table")
    return text


def parse_pose(text: str, path: str) -> PoseSpec:
    """Parse and validate the TOML text of a pose file; `path` is used in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PoseFileError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise PoseFileError(f"{path}: not valid TOML: arrays or tables nested too deeply") \
            from None
    except ValueError:  # int() refuses integers of over 4300 digits
        raise PoseFileError(f"{path}: not valid TOML: a number has too many digits") from None
    top = _Reader(path, "top level", data, (
        "name", "title", "description", "camera", "best_views", "hold_s", "priority",
        "visibility", "lying", "side", "recognise", "phases", "checks"))
    side = data.get("side")
    side_detect = side_legs = None
    side_say = ""
    if side is not None:
        s = _Reader(path, "[side]", side, ("detect", "legs", "say"))
        side_detect = s.choice("detect", tuple(sorted(DETECTORS)))
        side_legs = s.choice("legs", tuple(sorted(LEG_ROLES)), None)
        side_say = _sentence(s, "say", True, "")
    asym = side_detect is not None
    rec = _Reader(path, "[recognise]", top.get("recognise", dict), ("conditions", "visibility"))
    phases = []
    for i, table in enumerate(top.get("phases", list, [])):
        phases.append(_phase(path, i, table, asym))
    checks = [_check(path, i, t, asym) for i, t in enumerate(top.get("checks", list))]
    ids = [c.id for c in checks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        top.fail(f"check id '{_show(duplicates[0])}' is used twice")
    if not any(c.core for c in checks):
        top.fail("at least one check must have core = true")
    lying = top.get("lying", bool, False)
    upright = [(c.id, v) for c in checks for v in c.views if v in ("front", "back")]
    if lying and upright:
        check_id, view = upright[0]
        raise PoseFileError(f"{path}: check '{_show(check_id)}': a body lying on the mat is seen "
                            f"from the feet, the head, the side or three-quarter, never "
                            f"'{view}' (remove it from 'views')")
    return PoseSpec(
        name=top.get("name", str),
        title=top.get("title", str),
        description=top.get("description", str, ""),
        camera=top.get("camera", str, ""),
        best_views=top.choices("best_views", VIEWS, ()),
        hold_s=top.number("hold_s", 30.0, 1, 3600),
        priority=int(top.number("priority", 0, -100, 100)),
        side_detect=side_detect,
        side_legs=side_legs,
        visibility=top.number("visibility", SEEN_VISIBILITY, 0, 1),
        lying=lying,
        recognise=_conditions(path, "[recognise]", rec.get("conditions", list), asym),
        recognise_visibility=rec.number("visibility", None, 0, 1),
        phases=tuple(phases),
        checks=tuple(checks),
        path=path,
        side_say=side_say,
    )


def load_pose_file(path: str | Path) -> PoseSpec:
    """Read and validate a pose file from disk."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise PoseFileError(f"{p}: cannot read pose file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PoseFileError(f"{p}: pose file is not UTF-8 text") from None
    return parse_pose(text, str(p))


def builtin_dir() -> Path:
    """The folder of the bundled pose files: inside the installed package, or the
    repository's top-level poses/ when running from a source checkout."""
    installed = Path(str(resources.files("posecheck"))) / "poses"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "poses"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def load_pose(name_or_path: str, also: tuple[str, ...] = ()) -> PoseSpec:
    """A bundled pose by name (e.g. 'malasana'), or a pose file by path. `also`: other words
    the caller accepts in the same place (e.g. "auto"), named in the error for a typo."""
    candidate = builtin_dir() / f"{name_or_path}.toml"
    if candidate.is_file():
        return load_pose_file(candidate)
    if name_or_path.endswith(".toml") or Path(name_or_path).is_file():
        return load_pose_file(name_or_path)
    raise PoseFileError(unknown_pose(name_or_path, [*builtin_names(), *also],
                                     ", or a .toml file"))


def unknown_pose(name: str, valid: list[str], more: str = "") -> str:
    """The words for a pose name none of `valid`: a near miss first ("did you mean
    malasana?"), then the valid names and `more` (e.g. ", or a .toml file")."""
    near = difflib.get_close_matches(name, valid, n=1)
    hint = f": did you mean {near[0]}?" if near else ""
    return f"unknown pose '{name}'{hint} (valid: {', '.join(valid)}{more})"


def load_all() -> list[PoseSpec]:
    return [load_pose(n) for n in builtin_names()]
