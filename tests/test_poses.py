"""The bundled pose files match docs/poses.md, and a bad pose file gets a one-line message
that names the file, the place and the valid choices - never a traceback."""

from __future__ import annotations

import copy
import json
import math

import pytest
from bodies import body
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posecheck.core import checks as ck
from posecheck.core.features import REGISTRY
from posecheck.core.landmarks import NAMES
from posecheck.core.poses import (
    LIMBS,
    PoseFileError,
    builtin_names,
    load_all,
    load_pose,
    load_pose_file,
    parse_pose,
)
from posecheck.core.views import VIEWS
from posecheck.eval.scoring import judgeable

# --- the bundled poses against docs/poses.md -------------------------------------------------

#: docs/poses.md's tables: (pose, check id, kind, core), core as its "core" column says.
POSES_MD = [
    ("happy-baby", "knees-90", "fault", True),
    ("happy-baby", "soles-up", "fault", True),
    ("happy-baby", "knees-to-armpits", "fault", False),
    ("happy-baby", "knees-wide", "tip", False),
    ("happy-baby", "hands-on-feet", "fault", True),
    ("happy-baby", "head-down", "fault", False),
    ("pigeon", "back-leg-long", "fault", True),
    ("pigeon", "front-knee-bent", "fault", True),
    ("pigeon", "hips-square", "fault", False),
    ("pigeon", "shin-parallel", "tip", False),
    ("pigeon", "torso-supported", "fault", False),
    ("figure-four", "ankle-on-knee", "fault", True),
    ("figure-four", "thigh-to-chest", "fault", True),
    ("figure-four", "hands-behind-thigh", "fault", False),
    ("figure-four", "knee-open", "tip", False),
    ("figure-four", "head-down", "fault", False),
    ("malasana", "feet-wide", "fault", False),
    ("malasana", "deep-squat", "fault", True),
    ("malasana", "heels-down", "fault", False),
    ("malasana", "spine-upright", "fault", True),
    ("malasana", "palms-together", "fault", False),
    ("malasana", "elbows-in-knees", "tip", False),
]
ASYMMETRIC = {"pigeon": "front_shin_across", "figure-four": "ankle_on_other_knee",
              "happy-baby": None, "malasana": None}


def test_all_four_poses_load():
    assert builtin_names() == ["figure-four", "happy-baby", "malasana", "pigeon"]
    assert sorted(p.name for p in load_all()) == builtin_names()


@pytest.mark.parametrize("pose_name, check_id, kind, core", POSES_MD)
def test_check_matches_poses_md(pose_name, check_id, kind, core):
    checks = {c.id: c for c in load_pose(pose_name).checks}
    assert check_id in checks
    assert (checks[check_id].kind, checks[check_id].core) == (kind, core)


@pytest.mark.parametrize("pose_name", sorted(ASYMMETRIC))
def test_no_checks_beyond_poses_md(pose_name):
    documented = {c for p, c, _, _ in POSES_MD if p == pose_name}
    assert {c.id for c in load_pose(pose_name).checks} == documented


@pytest.mark.parametrize("pose_name, detect", ASYMMETRIC.items())
def test_asymmetric_poses_have_a_side(pose_name, detect):
    p = load_pose(pose_name)
    assert p.side_detect == detect
    assert p.asymmetric is (detect is not None)


def test_the_poses_lying_on_the_back_say_so():
    assert {p.name for p in load_all() if p.lying} == {"happy-baby", "figure-four"}


@pytest.mark.parametrize("pose_name", sorted(ASYMMETRIC))
def test_every_check_is_documented_and_has_a_cue(pose_name):
    p = load_pose(pose_name)
    assert p.hold_s == 30 and p.title and p.best_views
    for c in p.checks:
        assert c.cue.strip() and c.what.strip() and c.views


def test_load_pose_by_path_and_unknown_name(tmp_path):
    assert load_pose(str(load_pose("pigeon").path)).name == "pigeon"
    with pytest.raises(PoseFileError) as e:
        load_pose("downward-dog")
    assert str(e.value) == ("unknown pose 'downward-dog' (valid: figure-four, happy-baby, "
                            "malasana, pigeon, or a .toml file)")


# --- a tiny TOML writer, for building bad files from dicts ------------------------------------

def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        pairs = (f"{json.dumps(str(k))} = {toml_value(x)}" for k, x in v.items())
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(type(v))


def to_toml(data: dict) -> str:
    return "".join(f"{json.dumps(str(k))} = {toml_value(v)}\n" for k, v in data.items())


GOOD = {
    "name": "test",
    "title": "Test",
    "hold_s": 30,
    "recognise": {"conditions": [{"feature": "knee_angle", "limb": "seen", "max": 120}]},
    "checks": [
        {"id": "deep", "kind": "fault", "core": True, "views": ["front", "side"],
         "cue": "Sink your hips lower",
         "conditions": [{"feature": "torso_from_vertical", "max": 35}]},
        {"id": "elbows", "kind": "tip", "views": ["front"], "cue": "Elbows in",
         "conditions": [{"feature": "elbow_to_knee", "limb": "seen", "max": 0.4}]},
    ],
}


def variant(**changes) -> dict:
    """GOOD with changes: key 'a__b__0__c' reaches data['a']['b'][0]['c']; None deletes."""
    data = copy.deepcopy(GOOD)
    for path, value in changes.items():
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("__")]
        target = data
        for p in parents:
            target = target[p]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return data


def test_the_good_file_parses():
    p = parse_pose(to_toml(GOOD), "good.toml")
    assert [c.id for c in p.checks] == ["deep", "elbows"] and p.hold_s == 30.0
    assert p.checks[0].conditions[0].tolerance == 5.0  # degrees default
    assert p.checks[1].conditions[0].tolerance == 0.05  # torso units default
    assert p.checks[0].conditions[0].margin == 0.0 and p.checks[0].max_elevation is None


def test_margin_and_max_elevation_are_read():
    p = parse_pose(to_toml(variant(checks__0__conditions__0__margin=3,
                                   checks__0__max_elevation=30)), "good.toml")
    assert p.checks[0].conditions[0].margin == 3.0 and p.checks[0].max_elevation == 30.0


def test_an_unsupported_check_is_always_unknown_and_says_why():
    """A check no camera view can judge yet stays in the file (so the screen and report say
    it is not checked) but is never passed or failed, and is not scored."""
    p = parse_pose(to_toml(variant(checks__1__unsupported="the model cannot see it")), "t.toml")
    elbows = p.checks[1]
    assert elbows.unsupported == "the model cannot see it"
    result = ck.evaluate_check(elbows, body("malasana_front"), frozenset(NAMES), None, "front")
    assert result.state == ck.UNKNOWN
    assert ck.unknown_reason(elbows, result) == "Elbows: no camera view can judge this yet"  # no title: from the id
    assert not judgeable(elbows, "front") and judgeable(p.checks[0], "front")


def folded(side: dict | None, **hidden) -> dict:
    """GOOD with a 'folded' phase that hides a leg (`hidden`), and `side` if given."""
    phase = {"name": "folded", "hidden": hidden,
             "conditions": [{"feature": "torso_from_vertical", "min": 60}]}
    return variant(phases=[phase], **({"side": side} if side else {}))


ALL_FEATURES = ", ".join(sorted(REGISTRY))
ALL_VIEWS = ", ".join((*VIEWS, "any"))

BAD = [
    ("unknown top-level key", variant(colour="red"),
     "bad.toml: top level: unknown key 'colour' (valid: name, title, description, camera, "
     "best_views, hold_s, priority, visibility, lying, side, recognise, phases, checks)"),
    ("unknown check key", variant(checks__0__treshold=3),
     "bad.toml: check 'deep': unknown key 'treshold' (valid: id, title, kind, core, views, cue, what, "
     "match, conditions, unsupported, max_elevation, say)"),
    ("unknown feature", variant(checks__0__conditions__0__feature="knee_angel"),
     f"bad.toml: check 'deep' condition 1: 'feature' = 'knee_angel' is not valid "
     f"(valid: {ALL_FEATURES})"),
    ("limb missing", variant(checks__0__conditions=[{"feature": "knee_angle", "max": 90}]),
     "bad.toml: check 'deep' condition 1: feature 'knee_angle' measures one leg or arm: "
     f"give 'limb' (valid: {', '.join(LIMBS)})"),
    ("limb on a body feature", variant(checks__0__conditions__0__limb="left"),
     "bad.toml: check 'deep' condition 1: feature 'torso_from_vertical' measures the whole body: "
     "remove 'limb'"),
    ("bad limb", variant(checks__1__conditions__0__limb="middle"),
     f"bad.toml: check 'elbows' condition 1: 'limb' = 'middle' is not valid "
     f"(valid: {', '.join(LIMBS)})"),
    ("wrong type", variant(hold_s="thirty"),
     "bad.toml: top level: 'hold_s' must be int or float, not str"),
    ("bool for a number", variant(checks__0__conditions__0__max=True),
     "bad.toml: check 'deep' condition 1: 'max' must be int or float, not bool"),
    ("min > max", variant(checks__0__conditions__0__min=10, checks__0__conditions__0__max=5),
     "bad.toml: check 'deep' condition 1: 'min' (10) is greater than 'max' (5)"),
    ("no bounds", variant(checks__0__conditions__0__max=None),
     "bad.toml: check 'deep' condition 1: give 'min', 'max' or both"),
    ("bad view", variant(checks__0__views=["front", "sideways"]),
     f"bad.toml: check 'deep': 'views' has 'sideways', not valid (valid: {ALL_VIEWS})"),
    ("no views", variant(checks__0__views=[]),
     "bad.toml: check 'deep': 'views' must name at least one view"),
    ("bad best view", variant(best_views=["any"]),
     f"bad.toml: top level: 'best_views' has 'any', not valid (valid: {', '.join(VIEWS)})"),
    ("duplicate id", variant(checks__1__id="deep"),
     "bad.toml: top level: check id 'deep' is used twice"),
    ("no core check", variant(checks__0__core=False),
     "bad.toml: top level: at least one check must have core = true"),
    ("core on a tip", variant(checks__1__core=True),
     "bad.toml: check 'elbows': only a 'fault' check can be core"),
    ("bad kind", variant(checks__1__kind="hint"),
     "bad.toml: check 'elbows': 'kind' = 'hint' is not valid (valid: fault, tip)"),
    ("unsupported core check", variant(checks__0__unsupported="the model cannot see it"),
     "bad.toml: check 'deep': a core check cannot be 'unsupported' (the pose could never be "
     "judged correct)"),
    ("bad match", variant(checks__0__match="most"),
     "bad.toml: check 'deep': 'match' = 'most' is not valid (valid: all, any)"),
    ("unknown cue placeholder", variant(checks__0__cue="Bend your {knee}"),
     "bad.toml: check 'deep': cue has an unknown placeholder (valid: {working}, {other})"),
    ("placeholder without [side]", variant(checks__0__cue="Bend your {working} knee"),
     "bad.toml: check 'deep': cue placeholders need a [side] table"),
    ("unknown say placeholder", variant(checks__0__say="Bend your {leg}"),
     "bad.toml: check 'deep': say has an unknown placeholder (valid: {working}, {other})"),
    ("say not text", variant(checks__0__say=3),
     "bad.toml: check 'deep': 'say' must be str, not int"),
    ("working limb without [side]", variant(checks__1__conditions__0__limb="working"),
     "bad.toml: check 'elbows' condition 1: limb 'working' needs a [side] table "
     "(only asymmetric poses have a working side)"),
    ("bad side detector", variant(side={"detect": "longest_leg"}),
     "bad.toml: [side]: 'detect' = 'longest_leg' is not valid "
     "(valid: ankle_on_other_knee, front_shin_across, more_bent_knee)"),
    ("nan", variant(checks__0__conditions__0__max=math.nan),
     "bad.toml: check 'deep' condition 1: 'max' must be a finite number"),
    ("inf", variant(hold_s=math.inf), "bad.toml: top level: 'hold_s' must be a finite number"),
    ("-inf", variant(recognise__conditions__0__min=-math.inf),
     "bad.toml: [recognise] condition 1: 'min' must be a finite number"),
    ("out of range", variant(hold_s=0),
     "bad.toml: top level: 'hold_s' = 0 is out of range (1 to 3600)"),
    ("visibility over 1", variant(visibility=1.5),
     "bad.toml: top level: 'visibility' = 1.5 is out of range (0 to 1)"),
    ("recognise visibility over 1", variant(recognise__visibility=2),
     "bad.toml: [recognise]: 'visibility' = 2 is out of range (0 to 1)"),
    ("negative tolerance", variant(checks__0__conditions__0__tolerance=-1),
     "bad.toml: check 'deep' condition 1: 'tolerance' = -1 is out of range (0 to 1000)"),
    ("negative margin", variant(checks__0__conditions__0__margin=-2),
     "bad.toml: check 'deep' condition 1: 'margin' = -2 is out of range (0 to 1000)"),
    ("elevation over 90", variant(checks__0__max_elevation=95),
     "bad.toml: check 'deep': 'max_elevation' = 95 is out of range (0 to 90)"),
    ("missing title", variant(title=None), "bad.toml: top level: missing required key 'title'"),
    ("missing check id", variant(checks__1__id=None),
     "bad.toml: check 2: missing required key 'id'"),
    ("check not a table", variant(checks=["deep"]), "bad.toml: check 1: must be a table, not str"),
    ("empty conditions", variant(checks__0__conditions=[]),
     "bad.toml: check 'deep': 'conditions' must be a non-empty list of tables"),
    ("front view of a lying body", variant(lying=True),
     "bad.toml: check 'deep': a body lying on the mat is seen from the feet, the head, the side "
     "or three-quarter, never 'front' (remove it from 'views')"),
    ("newline in a value", variant(recognise__conditions__0__feature="knee\nangle"),
     "bad.toml: [recognise] condition 1: 'feature' = 'knee\\nangle' is not valid "
     f"(valid: {ALL_FEATURES})"),
    ("hidden leg on a symmetric pose", folded(None, leg="working", cue="Hidden"),
     "bad.toml: phase 1: 'hidden' names the working or other leg: the pose needs a [side] "
     "table"),
    ("hidden leg not a leg role", folded({"detect": "more_bent_knee"}, leg="left", cue="Hidden"),
     "bad.toml: phase 1 'hidden': 'leg' = 'left' is not valid (valid: working, other)"),
    ("hidden without its words", folded({"detect": "more_bent_knee"}, leg="working"),
     "bad.toml: phase 1 'hidden': missing required key 'cue'"),
    ("lying not a bool", variant(lying="yes"),
     "bad.toml: top level: 'lying' must be bool, not str"),
    ("recognise not a table", variant(recognise=[1]),
     "bad.toml: top level: 'recognise' must be dict, not list"),
]


@pytest.mark.parametrize("data, message", [pytest.param(d, m, id=i) for i, d, m in BAD])
def test_bad_pose_file_message(data, message):
    with pytest.raises(PoseFileError) as e:
        parse_pose(to_toml(data), "bad.toml")
    assert str(e.value) == message


@pytest.mark.parametrize("text, start", [
    ('name = "x\ntitle = "y"\n', "bad.toml: not valid TOML: "),  # unclosed string
    ("[checks\n", "bad.toml: not valid TOML: "),
    ("name = \n", "bad.toml: not valid TOML: "),
    ("x = " + "[" * 3000 + "]" * 3000, "bad.toml: not valid TOML: "),  # nested too deep
])
def test_bad_toml_syntax(text, start):
    with pytest.raises(PoseFileError) as e:
        parse_pose(text, "bad.toml")
    assert str(e.value).startswith(start) and "\n" not in str(e.value)


def test_toml_syntax_error_says_where():
    with pytest.raises(PoseFileError) as e:
        parse_pose('name = "x"\ntitle = \n', "bad.toml")
    assert "line 2" in str(e.value)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(to_toml(GOOD).replace("Test", "Caf\u00e9").encode("latin-1"))
    with pytest.raises(PoseFileError) as e:
        load_pose_file(path)
    assert str(e.value) == f"{path}: pose file is not UTF-8 text"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(PoseFileError) as e:
        load_pose_file(path)
    assert str(e.value) == f"{path}: cannot read pose file: No such file or directory"
    with pytest.raises(PoseFileError):
        load_pose(str(path))


def test_a_good_file_from_disk(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(to_toml(GOOD), encoding="utf-8")
    assert load_pose_file(path).path == str(path)


# --- fuzz: nothing but PoseFileError, whatever the file holds ---------------------------------

KEYS = ("name", "title", "description", "camera", "best_views", "hold_s", "priority",
        "visibility", "side", "recognise", "phases", "checks", "detect", "conditions", "id",
        "kind", "core", "views", "cue", "what", "match", "feature", "limb", "min", "max",
        "tolerance", "bogus")
WORDS = (*sorted(REGISTRY), *VIEWS, "any", *LIMBS, "fault", "tip", "all", "more_bent_knee",
         "ankle_on_other_knee", "x", "", "{working}", "{other}", "{x}", "Bend {working", "}")

scalars = st.one_of(
    st.booleans(),
    st.integers(-10**20, 10**20),
    st.sampled_from((0.0, -0.5, 1e300, math.nan, math.inf, -math.inf)),
    st.sampled_from(WORDS),
)


def _tables(children):
    return st.dictionaries(st.sampled_from(KEYS), children, max_size=4)


values = st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=3), _tables(c)),
                      max_leaves=8)


def _bases() -> list[dict]:
    """The good test file and the four bundled pose files, as dicts."""
    import tomllib

    from posecheck.core.poses import builtin_dir

    return [GOOD] + [tomllib.loads(p.read_text(encoding="utf-8"))
                     for p in sorted(builtin_dir().glob("*.toml"))]


BASES = _bases()


def _paths(obj, prefix=()):
    """Every place in a nested dict/list: tuples of keys and indexes."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) \
        else ()
    for key, value in items:
        yield prefix + (key,)
        yield from _paths(value, prefix + (key,))


@st.composite
def mutated(draw):
    """A real pose file with up to three random changes: a value replaced, a key or item
    deleted, or one added: reaches every part of the parser, and is often still valid."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(list(_paths(data))))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(("set", "delete", "add")))
        if action == "set":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(values)
        else:
            parent.append(draw(values))
    return data


wild = _tables(values)


def _parse_only_pose_file_errors(text: str) -> None:
    try:
        spec = parse_pose(text, "fuzz.toml")
    except PoseFileError as e:
        assert str(e).startswith("fuzz.toml: ")
    else:
        assert spec.checks and any(c.core for c in spec.checks)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), mutated(), wild))
def test_fuzz_dicts_raise_only_pose_file_errors(data):
    _parse_only_pose_file_errors(to_toml(data))


@settings(max_examples=100, deadline=None, database=None)
@given(st.one_of(st.text(max_size=80),
                 st.lists(st.sampled_from(("[", "]", "{", "}", "=", '"', "'", ",", "\n", "a",
                                           "checks", "[[checks]]", "1", "nan", ".", " ")),
                          max_size=40).map("".join)))
def test_fuzz_text_raises_only_pose_file_errors(text):
    _parse_only_pose_file_errors(text)


def test_the_readme_lists_every_feature_limb_and_side_rule():
    """The pose-file reference in the README is what pose authors read: nothing missing."""
    from pathlib import Path

    from posecheck.core.sides import DETECTORS, LEG_ROLES

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name in [*REGISTRY, *LIMBS, *DETECTORS, *LEG_ROLES, "unsupported"]:
        assert f"`{name}`" in readme or f'"{name}"' in readme, name
