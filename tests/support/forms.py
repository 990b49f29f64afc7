"""Read a rendered HTML form back into the data a browser would post, so that tests change
only the fields they mean to and post everything else as the admin rendered it."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.select_default = None
        self.option = None
        self.textarea = None
        self.textareas = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self.select, self.select_default = name, None
            self.data.setdefault(name, [])
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_default is None:
                self.select_default = value
            if "selected" in attrs:
                self.data[self.select].append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            self.textareas.add(name)
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.data[self.select] and self.select_default is not None:
                self.data[self.select].append(self.select_default)
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def form_data(html, form_id):
    """{name: value or [values]} of the form with this id, as a browser would submit it."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, values in reader.data.items():
        if name in reader.textareas:
            # A newline right after <textarea> is not part of the value (an HTML parsing rule).
            values = [value[1:] if value.startswith("\n") else value for value in values]
        if values:
            data[name] = values if len(values) > 1 else values[0]
    return data
