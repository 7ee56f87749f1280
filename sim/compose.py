"""Build a validated :class:`~sim.config.Config` from Hydra overrides.

``compose(["scenario=two_hires", "pressure=high", "run.replicates=200"])`` gives the
same config as ``teamsim run scenario=two_hires pressure=high run.replicates=200``.

Group overrides (``scenario=``, ``team=``, ``pressure=``, ``experiment=``) choose the
config files Hydra composes; value overrides (``ebe.count=2``) are then applied in order,
as Hydra applies them, with one difference: a mapping written on the command line
(``team.disciplines={psychiatrist:1,nurse:3}``) *replaces* the default mapping instead of
being merged into it, because that is what a user writing out a whole mapping means
(``team.disciplines.nurse=3`` still changes one entry). Config data read from a file is
data: :func:`to_config` never resolves ``${...}`` in a plain mapping.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim.config import Config, ConfigError, register_schema, validate

#: The top-level sections of the model's schema.
SECTIONS = tuple(f.name for f in fields(Config))


def config_dir() -> Path:
    """The ``configs/`` tree: ``$TEAMSIM_CONFIG_DIR`` or the one beside the package."""
    return Path(os.environ.get("TEAMSIM_CONFIG_DIR",
                               Path(__file__).resolve().parent.parent / "configs"))


@functools.cache
def _schema() -> DictConfig:
    return OmegaConf.structured(Config)


def config_groups(directory: Path | None = None) -> tuple[str, ...]:
    """Config groups a user picks with ``group=option`` (the folders of ``configs/``)."""
    directory = directory or config_dir()
    return tuple(sorted(p.name for p in directory.iterdir() if p.is_dir() and p.name != "hydra"))


def parse(overrides: Sequence[str], loader: Any = None) -> list[Override]:
    """Hydra's reading of command-line overrides (``loader`` expands ``glob(...)``)."""
    try:
        return OverridesParser.create(config_loader=loader).parse_overrides(list(overrides))
    except HydraException as err:
        raise ConfigError(f"cannot read the overrides: {err}") from err


def for_hydra(override: Override, groups: Iterable[str]) -> bool:
    """Whether Hydra applies ``override`` itself: a config group choice or a Hydra setting."""
    key = override.key_or_group
    return (override.package is not None or "/" in key or key in groups or key == "schema"
            or override.is_hydra_override())


def _suggest(name: str, choices: Sequence[str]) -> str:
    guess = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean '{guess[0]}'?)" if guess else ""


def unknown_name(key: str, node: DictConfig, groups: Sequence[str]) -> str:
    """A message naming the unknown ``key`` of ``node`` and the valid choices near it."""
    sections = [str(k) for k in node if k != "hydra"]
    top, _, rest = key.partition(".")
    if top not in node:
        if not rest:
            choices = [*groups, *sections]
            return (f"unknown key '{key}'{_suggest(key, choices)}: choose a group "
                    f"({', '.join(groups)}) or a section ({', '.join(sections)})")
        return (f"unknown section '{top}'{_suggest(top, sections)}: the sections are "
                f"{', '.join(sections)}")
    parent, _, leaf = key.rpartition(".")
    while parent and not isinstance(OmegaConf.select(node, parent, default=None), DictConfig):
        parent, _, leaf = parent.rpartition(".")
    keys = [str(k) for k in OmegaConf.select(node, parent)]
    guess = difflib.get_close_matches(leaf, keys, n=1)
    hint = f" (did you mean '{parent}.{guess[0]}'?)" if guess else ""
    return f"unknown key '{key}'{hint}: keys at '{parent}' are {', '.join(keys)}"


def problem(err: BaseException) -> str:
    """The first line of an OmegaConf or Hydra error and the key it names."""
    text = str(err).strip()
    key = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                if line.strip().startswith("full_key:")), "")
    first = text.splitlines()[0] if text else type(err).__name__
    return f"{key}: {first}" if key and key not in first else first


def apply_overrides(node: DictConfig, overrides: Sequence[Override],
                    groups: Sequence[str] = ()) -> None:
    """Apply value overrides to a composed ``node`` in order, as Hydra does (``key=v``
    sets, ``+key=v`` adds, ``++key=v`` adds or sets), except that a mapping replaces.

    Raises :class:`ConfigError` naming an unknown section or key and the valid ones.
    """
    for override in overrides:
        key, line = override.key_or_group, override.input_line
        if override.is_sweep_override():
            raise ConfigError(f"{line}: a sweep (a,b) needs a multirun: teamsim run -m ...")
        if key.split(".")[0] not in node:
            raise ConfigError(unknown_name(key, node, groups))
        if override.is_delete():
            raise ConfigError(f"{line}: settings cannot be deleted with '~': set a value")
        value = override.value()
        adding = override.is_add() or override.is_force_add()
        if override.is_add() and not isinstance(value, dict | list) and \
                OmegaConf.select(node, key, default=None) is not None:
            raise ConfigError(f"{key} is already set: write {line[1:]} without the '+'")
        try:
            if adding:
                with open_dict(node):
                    OmegaConf.update(node, key, value, merge=not isinstance(value, dict),
                                     force_add=True)
            else:
                OmegaConf.update(node, key, value, merge=not isinstance(value, dict))
        except (ConfigAttributeError, ConfigKeyError) as err:
            raise ConfigError(unknown_name(key, node, groups)) from err
        except OmegaConfBaseException as err:
            raise ConfigError(f"{line}: {str(err).splitlines()[0]}") from err


def missing_option(err: BaseException) -> str | None:
    """'unknown scenario 'x': choose one of ...' for Hydra's missing-config error."""
    while err is not None and not isinstance(err, MissingConfigException):
        err = err.__cause__ or err.__context__
    if err is None or not err.options:
        return None
    group, _, name = str(err.missing_cfg_file).rpartition("/")
    return f"unknown {group} '{name}': choose one of {', '.join(err.options)}"


def _unknown_key(tree: Mapping, schema: DictConfig, prefix: str = "") -> str | None:
    """The first key of ``tree`` (within the schema's sections) that the schema lacks."""
    for key, child in tree.items():
        if key not in schema:
            return prefix + str(key)
        expected = schema[key]
        if (isinstance(child, Mapping) and isinstance(expected, DictConfig)
                and OmegaConf.get_type(expected) is not dict):
            found = _unknown_key(child, expected, f"{prefix}{key}.")
            if found:
                return found
    return None


def _literal(value: Any) -> Any:
    """``value`` with ``${`` escaped, so that OmegaConf keeps strings as they are."""
    if isinstance(value, str):
        return value.replace("${", "\\${")
    if isinstance(value, Mapping):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_literal(v) for v in value]
    return value


def to_config(node: DictConfig | Mapping | Config) -> Config:
    """A composed Hydra node, a plain mapping (e.g. read from a file) or a Config as a
    validated :class:`Config`.

    Top-level nodes that are not part of the schema (``study``, ``hydra``) are ignored;
    an unknown key inside a schema section is an error. A composed node is resolved; a
    plain mapping is data: ``${...}`` in it stays text. A mapping field (e.g.
    ``team.disciplines``) is taken as given, not merged into the schema's default.
    """
    if isinstance(node, Config):
        return validate(node)
    if isinstance(node, DictConfig):
        try:
            tree = {k: OmegaConf.to_container(node[k], resolve=True)
                    if isinstance(node[k], DictConfig) else node[k]
                    for k in node if k in SECTIONS}
        except OmegaConfBaseException as err:
            raise ConfigError(problem(err)) from err
    else:
        tree = {k: v for k, v in node.items() if k in SECTIONS}
    schema = _schema()
    unknown = _unknown_key(tree, schema)
    if unknown:
        section = unknown.split(".")[0]
        raise ConfigError(f"{unknown} is not a field of the schema: allowed keys of "
                          f"{section}: {', '.join(map(str, schema[section]))}")
    data = _literal(tree)
    try:
        merged = OmegaConf.merge(schema, data)
        for section, values in data.items():
            for key, value in (values.items() if isinstance(values, Mapping) else ()):
                if isinstance(value, Mapping):      # replace, never merge, a mapping
                    OmegaConf.update(merged, f"{section}.{key}", value, merge=False)
        config = OmegaConf.to_object(merged)
    except OmegaConfBaseException as err:
        raise ConfigError(problem(err)) from err
    return validate(config)


def compose(overrides: Sequence[str] = (), config_name: str = "config") -> Config:
    """Compose ``configs/<config_name>.yaml`` with command-line style ``overrides``."""
    register_schema()
    groups = config_groups()
    parsed = parse(overrides)
    values = [o for o in parsed if not for_hydra(o, groups)]
    try:
        with initialize_config_dir(version_base="1.3", config_dir=str(config_dir()),
                                   job_name="teamsim"):
            node = hydra_compose(config_name=config_name, overrides=[
                o.input_line for o in parsed if for_hydra(o, groups)])
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(missing_option(err) or problem(err)) from err
    apply_overrides(node, values, groups)
    return to_config(node)
