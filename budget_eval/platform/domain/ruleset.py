"""Read the policy files in rules/ and validate them against their models (each feature declares its own:
intake/domain/rule_files.py, assessment/domain/rule_files.py, evaluation/domain/scheme.py, and platform's
report_settings.py and rule_schemas.py).

Every rule set carries a version string (the file's declared version plus a hash of its content), so a
stored result can say exactly which rules produced it.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml

from budget_eval.platform.domain.report_settings import ReportSettings, ReportsFile
from budget_eval.platform.domain.rule_schemas import validate_model, without_version
from budget_eval.platform.domain.rule_types import Head


class RuleError(ValueError):
    """A rule file that is missing, malformed or inconsistent; the message names the file and key."""


def read_yaml(path: Path) -> tuple[dict[str, Any], str]:
    """Return the parsed mapping and a version tag '<declared version>@<content hash>'."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: 无法读取规则文件（{exc.strerror}）") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: YAML 格式错误：{exc}") from None
    if not isinstance(data, dict):
        raise RuleError(f"{path}: 顶层应为键值映射")
    declared = text_field(data, "version", path)
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return data, f"{declared}@{digest}"


H = TypeVar("H", bound=Head)


def read_model(path: Path, model: type[H]) -> tuple[H, dict[str, Any], str]:
    """A rule file validated against its model: the model, the data as written (sources beside the values,
    for snapshots that must cite where their figures came from), and its version."""
    data, version = read_yaml(path)
    return model_of(data, str(path), model), data, version


def model_of(data: dict[str, Any], where: str, model: type[H]) -> H:
    """Data as written (a rule file's, or a stored snapshot's copy of it) validated against its model."""
    problems = validate_model(data, where, model)
    if problems:
        raise RuleError("；\n".join(problems))
    return model.model_validate(without_version(data))


def loaded(model: H, version: str) -> H:
    """The model as loaded: `version` is the file's declared version with its content hash."""
    return model.model_copy(update={"version": version})


def load_report_settings(path: Path) -> ReportSettings:
    model, _, version = read_model(path, ReportsFile)
    return loaded(model, version)


def text_field(data: dict[str, Any], key: str, path: Path | str, where: str = "") -> str:
    """A required, non-blank value as text; the error names the file and key."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None or str(value).strip() == "":
        raise RuleError(f"{path}: 缺少 {where + '.' if where else ''}{key}")
    return str(value)


_VERSION_TAG = re.compile(r"(\d{4})-(\d+)@[0-9a-f]{6,}")


def version_label(text: object) -> str:
    """Every version tag '2026-2@dc4121a9621c' in `text` as a reader says it: '2026年第2版' (the content hash
    stays in the stored record and on the admin's 规则文件 page; '2026-2@…/2026-1@…' becomes '2026年第2版/2026年第1版')."""
    if text is None:
        return ""
    return _VERSION_TAG.sub(lambda m: f"{m.group(1)}年第{m.group(2)}版", str(text))
