"""The answer page of a round of an own instrument: the labelled scale, "does not apply" where
the instrument offers it, and one block per target (own party, each other party, the
partnership as a whole). Reached through the same links and checks as every round."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accord.domain.instruments.definition import Definition
from accord.trust.definitions import definition_of
from accord.trust.instrument_answers import (
    Target,
    instrument_response_submit,
    targets,
    wording,
)
from accord.trust.models import Invitee


def field_name(target: int, key: str) -> str:
    return f"o-{target}-{key}"


class InstrumentAnswerForm(forms.Form):
    def __init__(
        self, *args: Any, targets: list[Target], definition: Definition, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets, self.definition = targets, definition
        scale = definition.scale
        choices = [(str(v), label) for v, label in enumerate(scale.labels, start=1)]
        if scale.not_applicable:
            choices.append(("0", scale.not_applicable))
        for target in targets:
            for item in definition.items:
                self.fields[field_name(target.pk, item.key)] = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please choose an answer.")},
                )

    def answers(self) -> dict[int, dict[str, int]]:
        return {
            t.pk: {i.key: self.cleaned_data[field_name(t.pk, i.key)] for i in self.definition.items}
            for t in self.targets
        }

    def blocks(self, partnership_name: str) -> list[dict[str, Any]]:
        return [
            {
                "target": target,
                "items": [
                    {
                        "item": item,
                        "text": wording(item.text, target, partnership_name),
                        "field": self[field_name(target.pk, item.key)],
                    }
                    for item in self.definition.items
                ],
            }
            for target in self.targets
        ]


def instrument_answer_page(
    request: HttpRequest, invitee: Invitee, context: dict[str, Any], *, sent: bool
) -> HttpResponse:
    survey = invitee.round
    definition = definition_of(survey.instrument)
    form = InstrumentAnswerForm(
        request.POST if sent else None,
        targets=targets(invitee, definition),
        definition=definition,
    )
    if sent and form.is_valid():
        try:
            instrument_response_submit(invitee=invitee, answers=form.answers())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            context["done"] = True
            return render(request, "trust/answer.html", context)
    context.update(
        form=form,
        blocks=form.blocks(survey.partnership.name),
        definition=definition,
        own_party=invitee.party,
    )
    return render(request, "trust/answer_instrument.html", context)
