"""The building blocks of the rule-file schemas: strict numbers, integers and texts, a policy value
with its source beside it (`Policy[Num]`: `10`, or `{value: 10, status: 本局自定, source: …}`, or
`{value: 10, ref: <a name in the file's sources table>}`), and the Chinese wording of their errors.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Generic, get_args, Literal, Self, TYPE_CHECKING, TypeVar

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, ModelWrapValidatorHandler,
    PlainValidator, PrivateAttr, Tag, model_validator,
)
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.sourced import is_wrapped, numbers, SourcedNumber, STATUSES

T = TypeVar("T")


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("number", "应为数字（不加引号）")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise PydanticCustomError("number", "应为非负的有限数字")
    return number


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("integer", "应为整数（不加引号）")
    if value < 0:
        raise PydanticCustomError("integer", "应为非负整数")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("text", "应为非空文字")
    return value


def _as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


Num = Annotated[Decimal, PlainValidator(_number)]
Int = Annotated[int, PlainValidator(_integer)]
Text = Annotated[str, PlainValidator(_text)]
Items = Annotated[tuple[T, ...], BeforeValidator(_as_tuple)]  # a list in the file, a tuple in the model
Status = Literal["法定", "惯例", "本局自定"]
assert get_args(Status) == STATUSES


class Strict(BaseModel):
    # defer_build: a schema is built when a rule file is first read, not when the app starts (issue 22)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Source(Strict):
    status: Status
    source: Text
    # the words quoted from the document, and the file under rules/sources/ that stores them with where they were
    # read (tests/unit/test_rule_sources.py checks that the quote is there)
    quote: Text | None = None
    excerpt: Text | None = None


class Sourced(Strict, Generic[T]):
    value: T
    status: Status | None = None
    source: Text | None = None
    ref: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Sourced[T]:
        if (self.ref is None) == (self.status is None) or (self.status is not None and self.source is None):
            raise PydanticCustomError("source", "来源应写 ref（引用 sources 中的名称），或同时写 status 与 source")
        return self


def _shape(value: object) -> str:
    return "sourced" if is_wrapped(value) else "plain"


def _value_of(value: object) -> object:
    return value.value if isinstance(value, Sourced) else value


if TYPE_CHECKING:  # a validated model holds the plain value: `Policy[Num]` is a Decimal to the type checker
    Policy = Annotated[T, "policy"]
else:
    class Policy:
        """`Policy[Num]`: in the file, a plain value or the value with its source; in the model, the value
        (where it came from stays in the file's data: `sourced.numbers`)."""

        def __class_getitem__(cls, item):
            return Annotated[Annotated[item, Tag("plain")] | Annotated[Sourced[item], Tag("sourced")],
                             Discriminator(_shape), AfterValidator(_value_of)]


def added(since: int, default: Any) -> Any:
    """A key added in schema version `since` (> 1): a file or stored snapshot written before it gets `default`.
    Mutable defaults (lists, dicts) are copied for each model."""
    if isinstance(default, list | dict):
        factory = default.copy
        return Field(default_factory=factory, json_schema_extra={"since": since})
    return Field(default=default, json_schema_extra={"since": since})


class Head(Strict):
    kind: str
    name: Text
    version: Text
    sources: dict[str, Source] = Field(default_factory=dict)


class Written(Head):
    """A rule file's model that keeps the data as written beside the values (`raw`: each number with its
    source, for a snapshot or a citation); the values themselves are the validated fields."""

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_written(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        model = handler(data)
        if isinstance(data, dict):
            model._raw = dict(data)
        return model

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw

    def sourced_numbers(self) -> dict[str, SourcedNumber]:
        """Every number of the file by its key path (`categories[0].threshold_wan`), with its source."""
        return {n.path: n for n in numbers(self._raw)}


class Choice(Strict):
    code: Text
    label: Text


MESSAGES = {
    "extra_forbidden": "不认识的键（是否拼写错误？）",
    "missing": "缺少此项",
    "bool_type": "应为 true 或 false（不加引号）",
    "bool_parsing": "应为 true 或 false（不加引号）",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "model_attributes_type": "应为键值映射",
    "too_short": "不能为空",
    "string_type": "应为文字",
}


def chinese_message(error: Any, where: str) -> str:
    loc = [part for part in error["loc"] if part not in ("plain", "sourced") and not str(part).startswith("function-")]
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".") or "（顶层）"
    kind = error["type"]
    if kind == "literal_error":
        text = f"应为 {error['ctx']['expected'].replace(' or ', ' 或 ')} 之一"
    else:
        text = MESSAGES.get(kind, error["msg"].removeprefix("Value error, "))
    if kind == "missing":
        return f"{where}：{path} {text}"
    return f"{where}：{path} 的值 {_shown(error.get('input'))} 有误：{text}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"
