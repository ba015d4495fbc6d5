"""Reading back the SVG charts the server draws."""

import xml.etree.ElementTree as ET

from dashboard.svg import chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def draw(t, **kwargs):
    return ET.fromstring(chart_svg(t, **kwargs))


def elements(root, tag, cls):
    return [e for e in root.iter(SVG + tag) if e.get("class") == cls]
