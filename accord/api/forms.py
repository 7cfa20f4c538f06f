from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'BI export'.")
    days = forms.IntegerField(min_value=1, max_value=365, initial=90, label="Valid for (days)")
