"""The content formats of `content-format.md`, version 1, as pydantic models.

The models check structure: required keys, unknown keys, types and ranges. Rules that need
more than one value (ids unique, conditions pointing at earlier questions, bands descending)
live in `readiness.checks`, which reports them with the same located issues.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from readiness.messages import distinct_labels

QUESTIONNAIRE_FORMAT = "questionnaire/1"
ROLE_FORMAT = "role/1"
ANSWERS_FORMAT = "answers/1"
FORMATS = (QUESTIONNAIRE_FORMAT, ROLE_FORMAT, ANSWERS_FORMAT)
# Where a content root keeps the files of each format (answer sets are not content).
FOLDER_OF_FORMAT = {QUESTIONNAIRE_FORMAT: "assessments", ROLE_FORMAT: "data/roles"}
QUESTION_TYPES = ("rating", "single_choice", "multiple_choice", "yes_no", "number", "text")
MAX_LEVEL = 4


class Titled(Protocol):
    """Anything content names with an id and a title: a role, section, competency, must-have."""

    id: str
    title: str


def _not_blank(value: str) -> str:
    # A title of spaces shows nothing, as an empty one would.
    if not value.strip():
        raise PydanticCustomError("string_too_short", "must not be empty")
    return value


ID_PATTERN = r"^[a-z][a-z0-9-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# For editors: `_not_blank` as a pattern (some character other than a space), with the message
# that yaml-language-server shows instead of the pattern itself.
TEXT_JSON_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "pattern": r"\S",
    "patternErrorMessage": "must not be empty",
}
Text = Annotated[
    str,
    StringConstraints(min_length=1),
    AfterValidator(_not_blank),
    WithJsonSchema(TEXT_JSON_SCHEMA),
]
Level = Annotated[float, Field(ge=0, le=MAX_LEVEL)]
Markdown = Annotated[str, Field(description="Markdown text")]


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) and not (
        isinstance(value, float) and math.isnan(value)
    ):
        return value
    raise PydanticCustomError("scalar_type", "must be a single value (text, number, true or false)")


def _version_text(value: Any) -> Any:
    # A whole number is unambiguous; a decimal such as 2026.10 would already have lost its zero.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        raise PydanticCustomError(
            "version_quotes",
            'must be text in quotes, such as "{example}", so that it is kept as written',
            {"example": value},
        )
    return value


Scalar = Annotated[
    Any,
    BeforeValidator(_plain_scalar),
    WithJsonSchema({"type": ["string", "number", "boolean"]}),
]


def _version_json_schema(description: str) -> WithJsonSchema:
    # Written without quotes, a version is a number to YAML (and to an editor); validate keeps
    # it as the text written, so the editor schema accepts a number too.
    return WithJsonSchema(
        {"anyOf": [TEXT_JSON_SCHEMA, {"type": "number"}], "description": description}
    )


Version = Annotated[
    Text,
    BeforeValidator(_version_text),
    _version_json_schema("Saved with every answer set; 2026.10 without quotes is kept as written"),
]


def _recorded_version_text(value: Any) -> Any:
    # An answer set only records the version it was given with and is scored whatever it says,
    # so a number written by another tool is kept as text rather than refused.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


RecordedVersion = Annotated[
    Text,
    BeforeValidator(_recorded_version_text),
    _version_json_schema("The questionnaire's version when the answers were given"),
]

_CONDITION_TEST_KEYS = ("equals", "in", "includes", "at_least", "at_most", "answered")
_ANSWER_VALUE_SCHEMA: dict[str, Any] = {"type": ["string", "number", "boolean"]}
# What `question:` names: a question of the same file, or (in a role profile) a question of a
# questionnaire. An id that does not fit ID_PATTERN can name no question.
_QUESTION_REFERENCE: dict[str, dict[str, Any]] = {
    QUESTIONNAIRE_FORMAT: {
        "type": "string",
        "pattern": ID_PATTERN,
        "description": "The id of an earlier question of this questionnaire",
    },
    ROLE_FORMAT: {
        "type": "string",
        "pattern": ID_PATTERN.removesuffix("$") + r"\." + ID_PATTERN.removeprefix("^"),
        "patternErrorMessage": "write the question as QUESTIONNAIRE_ID.QUESTION_ID",
        "description": "QUESTIONNAIRE_ID.QUESTION_ID: a question of a questionnaire",
    },
}


def condition_json_schema(format_name: str) -> dict[str, Any]:
    """The JSON Schema of a condition in a file of `format_name`, as `ConditionParser` reads it."""
    question = _QUESTION_REFERENCE.get(format_name, _QUESTION_REFERENCE[QUESTIONNAIRE_FORMAT])
    conditions = {"type": "array", "items": {"$ref": "#/$defs/Condition"}, "minItems": 1}
    return {
        "description": "A condition: a test on one question, or all/any/not of conditions.",
        "oneOf": [
            {
                "type": "object",
                "required": ["question"],
                "properties": {
                    "question": question,
                    "equals": _ANSWER_VALUE_SCHEMA,
                    "in": {"type": "array", "items": _ANSWER_VALUE_SCHEMA, "minItems": 1},
                    "includes": _ANSWER_VALUE_SCHEMA,
                    "at_least": {"type": "number"},
                    "at_most": {"type": "number"},
                    "answered": {"type": "boolean"},
                },
                "additionalProperties": False,
                "minProperties": 2,
                "maxProperties": 2,
            },
            {
                "type": "object",
                "required": ["all"],
                "properties": {"all": conditions},
                "additionalProperties": False,
            },
            {
                "type": "object",
                "required": ["any"],
                "properties": {"any": conditions},
                "additionalProperties": False,
            },
            {
                "type": "object",
                "required": ["not"],
                "properties": {"not": {"$ref": "#/$defs/Condition"}},
                "additionalProperties": False,
            },
        ],
    }


# Conditions are checked and compiled by `readiness.conditions`, with messages that know the
# questions they refer to; the schema only carries them through. pydantic cannot emit a `$ref`
# to a definition it does not know, so a marker stands in until `json_schema` swaps it.
_CONDITION_MARKER = "x-readiness-condition"
ConditionSpec = Annotated[Any, WithJsonSchema({_CONDITION_MARKER: True})]


class ContentModel(BaseModel):
    # No .inf or .nan: an infinite weight or threshold would turn scores into NaN.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _null_means_left_out(cls, data: Any) -> Any:
        # An optional key written with no value (`requirements:`, YAML's null) takes its
        # default, whichever key it is; a required key's null is still an error.
        if isinstance(data, dict):
            nulls = [
                key
                for key, value in data.items()
                if value is None
                and key in cls.model_fields
                and not cls.model_fields[key].is_required()
            ]
            if nulls:
                data = {key: value for key, value in data.items() if key not in nulls}
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = super().__get_pydantic_json_schema__(core_schema, handler)
        _optional_keys_take_null(handler.resolve_ref_schema(schema))
        return schema


_ANNOTATIONS = ("title", "description", "default")


def _optional_keys_take_null(schema: dict[str, Any]) -> None:
    """Editors accept what `_null_means_left_out` accepts: an optional key with no value."""
    required = set(schema.get("required", ()))
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        if name in required or _takes_null(prop):
            continue
        annotations = {key: prop.pop(key) for key in _ANNOTATIONS if key in prop}
        properties[name] = {"anyOf": [prop, {"type": "null"}], **annotations}


def _takes_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(_takes_null(s) for s in schema.get("anyOf", ()))


# Questionnaires ------------------------------------------------------------------------------


class ScaleEntry(ContentModel):
    value: float
    label: Text
    hint: str | None = None


class Option(ContentModel):
    value: Scalar
    label: Text
    level: Level | None = None


class Threshold(ContentModel):
    at_least: float
    level: Level


class QuestionBase(ContentModel):
    id: Id
    prompt: Text
    help: Markdown | None = None
    required: bool | None = Field(default=None, description="Default: true, except for text")
    show_if: ConditionSpec | None = None
    measures: Id | None = None
    weight: Annotated[float, Field(gt=0)] = 1

    _show_if = PrivateAttr(default=None)
    # For editors: what a question of this type needs when it `measures` a competency (the
    # rule itself is in `readiness.checks`).
    when_measured: ClassVar[dict[str, Any] | None] = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = super().__get_pydantic_json_schema__(core_schema, handler)
        if cls.when_measured is not None:
            target = handler.resolve_ref_schema(schema)
            target["if"] = {
                "required": ["measures"],
                "properties": {"measures": {"type": "string"}},
            }
            target["then"] = cls.when_measured
        return schema

    @property
    def is_required(self) -> bool:
        if self.required is None:
            return self.type != "text"
        return self.required


class RatingQuestion(QuestionBase):
    type: Literal["rating"]
    scale: Text


class SingleChoiceQuestion(QuestionBase):
    type: Literal["single_choice"]
    options: Annotated[list[Option], Field(min_length=2)]
    when_measured = {
        "properties": {
            "options": {
                "items": {"required": ["level"], "properties": {"level": {"type": "number"}}}
            }
        }
    }


class MultipleChoiceQuestion(QuestionBase):
    type: Literal["multiple_choice"]
    options: Annotated[list[Option], Field(min_length=2)]
    when_measured = {
        "properties": {
            "options": {
                "items": {"required": ["level"], "properties": {"level": {"type": "number"}}}
            }
        }
    }


class YesNoQuestion(QuestionBase):
    type: Literal["yes_no"]
    yes_level: Level = MAX_LEVEL


class NumberQuestion(QuestionBase):
    type: Literal["number"]
    min: float | None = None
    max: float | None = None
    levels: list[Threshold] | None = None
    when_measured = {
        "required": ["levels"],
        "properties": {"levels": {"type": "array", "minItems": 1}},
    }


class TextQuestion(QuestionBase):
    type: Literal["text"]

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = super().__get_pydantic_json_schema__(core_schema, handler)
        # Text is never scored: `measures` may only be left empty.
        handler.resolve_ref_schema(schema)["properties"]["measures"] = {
            "type": "null",
            "title": "Measures",
            "description": "Does not apply to a text question: text is never scored",
        }
        return schema


Question = Annotated[
    RatingQuestion
    | SingleChoiceQuestion
    | MultipleChoiceQuestion
    | YesNoQuestion
    | NumberQuestion
    | TextQuestion,
    Field(discriminator="type"),
]


class Section(ContentModel):
    id: Id
    title: Text
    intro: Markdown | None = None
    show_if: ConditionSpec | None = None
    questions: Annotated[list[Question], Field(min_length=1)]

    _show_if = PrivateAttr(default=None)


class Questionnaire(ContentModel):
    format: Literal["questionnaire/1"]
    id: Id
    title: Text
    version: Version
    description: Markdown | None = None
    estimated_minutes: Annotated[float, Field(gt=0)] | None = None
    scales: dict[str, Annotated[list[ScaleEntry], Field(min_length=2)]] = {}
    sections: Annotated[list[Section], Field(min_length=1)]

    def questions(self) -> list[Question]:
        """Every question, in file order."""
        return [question for section in self.sections for question in section.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)

    def asks_some_questions_only_after_certain_answers(self) -> bool:
        """Whether a section or question has a `show_if`: its count is then an upper bound."""
        return any(
            section.show_if is not None or any(q.show_if is not None for q in section.questions)
            for section in self.sections
        )


# Role profiles -------------------------------------------------------------------------------


class Occupation(ContentModel):
    soc: Text
    title: Text


class CareerStepSpec(ContentModel):
    """A next step from the role (an optional key, an extension of format 1)."""

    title: Text
    soc: Text | None = Field(
        default=None,
        description="Occupation code whose market figures stand in for the step, when a "
        "related occupation with this code has rows in data/market",
    )
    source: Text


class Competency(ContentModel):
    id: Id
    title: Text
    description: Markdown | None = None
    target: Level
    importance: Annotated[float, Field(ge=1, le=5)]
    source: Text
    actions: list[Text] = []


class Requirement(ContentModel):
    id: Id
    title: Text
    met_if: ConditionSpec
    action: Text | None = None
    source: Text

    _met_if = PrivateAttr(default=None)


class Band(ContentModel):
    at_least: Annotated[float, Field(ge=0, le=100)]
    label: Text
    message: Markdown | None = None


class RoleProfile(ContentModel):
    format: Literal["role/1"]
    id: Id
    title: Text
    summary: Markdown | None = None
    related_occupations: list[Occupation] = []
    competencies: Annotated[list[Competency], Field(min_length=1)]
    requirements: list[Requirement] = []
    bands: Annotated[list[Band], Field(min_length=1)]
    market: Id | None = None
    career_steps: list[CareerStepSpec] = Field(
        default=[], description="Optional: where the role leads, for the results page"
    )

    def competency_titles(self) -> dict[str, str]:
        """Each competency's title as shown, by id (see `distinct_titles`)."""
        return distinct_titles(self.competencies)

    def requirement_titles(self) -> dict[str, str]:
        """Each must-have's title as shown, by id (see `distinct_titles`)."""
        return distinct_titles(self.requirements)


def distinct_titles(items: Iterable[Titled]) -> dict[str, str]:
    """Titles by id, each with its id added where two items share it (only ids must be
    unique): pickers, charts, table columns and filters tell items apart by what they show
    (`distinct_labels`)."""
    return distinct_labels((item.id, item.title, item.id) for item in items)


# Answer sets ---------------------------------------------------------------------------------


# Every key is required, as the content format's example marks none optional; an empty
# mapping (`answers: {}`, `questionnaires: {}`) says "nothing answered".
class QuestionnaireAnswers(ContentModel):
    version: RecordedVersion
    answers: dict[str, Any]


class AnswerSet(ContentModel):
    format: Literal["answers/1"]
    role: Id  # the role the candidate chose; it is scored against whichever is asked for
    questionnaires: dict[str, QuestionnaireAnswers]


MODEL_FOR_FORMAT: dict[str, type[ContentModel]] = {
    QUESTIONNAIRE_FORMAT: Questionnaire,
    ROLE_FORMAT: RoleProfile,
    ANSWERS_FORMAT: AnswerSet,
}


def known_keys() -> set[str]:
    """Every key the formats define, for 'did you mean' hints."""
    keys: set[str] = set(_CONDITION_TEST_KEYS) | {"question", "all", "any", "not"}
    pending: list[type[BaseModel]] = list(MODEL_FOR_FORMAT.values())
    seen: set[type[BaseModel]] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        keys.update(model.model_fields)
        pending.extend(sub for sub in ContentModel.__subclasses__() + QuestionBase.__subclasses__())
    return keys


def json_schema(format_name: str) -> dict[str, Any]:
    """The JSON Schema of one format, for editors (yaml-language-server)."""
    schema = _condition_refs(MODEL_FOR_FORMAT[format_name].model_json_schema())
    schema.setdefault("$defs", {})["Condition"] = condition_json_schema(format_name)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{format_name} ({MODEL_FOR_FORMAT[format_name].__name__})"
    return schema


def _condition_refs(node: Any) -> Any:
    """The schema with every condition marker replaced by a `$ref` to `#/$defs/Condition`."""
    if isinstance(node, dict):
        if node.pop(_CONDITION_MARKER, False):
            return {"$ref": "#/$defs/Condition", **node}
        return {key: _condition_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_condition_refs(item) for item in node]
    return node
