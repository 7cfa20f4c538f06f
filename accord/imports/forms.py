from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv (UTF-8) or .xlsx file whose first row names the columns."
    )
