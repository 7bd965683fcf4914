"""Accessibility basics measured in the browser: each check returns the problems it found on
the page, one readable line each, so a failing test names the element and the numbers.

- labels: every form field (input, select, textarea) has a label: ``label[for]``, a wrapping
  label, ``aria-label`` or ``aria-labelledby``, with text in it;
- headings: exactly one h1, it comes first, and no level is skipped on the way down;
- focus: every element Tab reaches looks different when focused (compared pixel by pixel, so
  an outline, a shadow or a drawn replacement such as the score buttons all count);
- contrast: every piece of text, and the value of every form field, has a WCAG contrast ratio
  of at least 4.5:1 against the background it is drawn on.
"""

from __future__ import annotations

import io

from PIL import Image, ImageChops

MINIMUM_CONTRAST = 4.5
MAX_TABS = 60
# Room around a focused element for an outline drawn outside it (width 3 px, offset 2 px).
FOCUS_MARGIN = 8

_DESCRIBE = """
  function describe(el) {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (el.name) text += "[name=" + el.name + "]";
    if (el.type && el.tagName === "INPUT") text += "[type=" + el.type + "]";
    const className = typeof el.className === "string" ? el.className.trim() : "";
    if (className) text += "." + className.split(/\\s+/).join(".");
    const words = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return words ? text + " \\"" + words + "\\"" : text;
  }
"""

_UNLABELLED = (
    """() => {"""
    + _DESCRIBE
    + """
  const text = (el) => (el ? (el.textContent || "").trim() : "");
  const problems = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
    const byLabel = Array.from(el.labels || []).some((label) => text(label));
    const byAria = (el.getAttribute("aria-label") || "").trim();
    const byIds = (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .some((id) => id && text(document.getElementById(id)));
    if (!byLabel && !byAria && !byIds) problems.push(describe(el) + " has no label");
  }
  return problems;
}"""
)

_HEADINGS = """() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6")).map(
  (h) => [Number(h.tagName[1]), (h.innerText || h.textContent || "").trim().replace(/\\s+/g, " ")]
)"""

_FOCUSED = (
    """() => {"""
    + _DESCRIBE
    + """
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.dataset.a11yFocus) el.dataset.a11yFocus = String(document.querySelectorAll("[data-a11y-focus]").length + 1);
  const box = el.getBoundingClientRect();
  return {
    key: el.dataset.a11yFocus,
    description: describe(el),
    box: { x: box.x, y: box.y, width: box.width, height: box.height },
    viewport: { width: window.innerWidth, height: window.innerHeight },
  };
}"""
)

_LOW_CONTRAST = (
    """(minimum) => {"""
    + _DESCRIBE
    + """
  function parse(colour) {
    const parts = colour.match(/[\\d.]+/g).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }
  function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (c) => (top[c] * top.a + bottom[c] * bottom.a * (1 - top.a)) / a;
    return { r: mix("r"), g: mix("g"), b: mix("b"), a };
  }
  function luminance(c) {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  }
  const clear = { r: 0, g: 0, b: 0, a: 0 };
  const faded = (c, opacity) => ({ r: c.r, g: c.g, b: c.b, a: c.a * opacity });
  // The text's colour and the background under it as they reach the screen: backgrounds from
  // the root down are stacked on the white canvas, and an element with opacity below 1 is
  // painted as a group (its background, descendants and text) and then faded onto what lies
  // behind it, as browsers composite it.
  function painted(chain, index, backdrop) {
    const style = getComputedStyle(chain[index]);
    const opacity = Number(style.opacity);
    const base = over(parse(style.backgroundColor), opacity < 1 ? clear : backdrop);
    const inner = index === chain.length - 1
      ? { background: base, ink: over(parse(style.color), base) }
      : painted(chain, index + 1, base);
    if (opacity >= 1) return inner;
    return {
      background: over(faded(inner.background, opacity), backdrop),
      ink: over(faded(inner.ink, opacity), backdrop),
    };
  }
  function chainOf(el) {
    const chain = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) chain.unshift(node);
    return chain;
  }
  function ownText(el) {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) {
      if (el.tagName === "SELECT") return el.selectedOptions.length ? el.selectedOptions[0].text : "";
      return ["checkbox", "radio", "file", "hidden", "range", "color"].includes(el.type) ? "" : el.value;
    }
    return Array.from(el.childNodes)
      .filter((node) => node.nodeType === 3)
      .map((node) => node.textContent)
      .join("")
      .trim();
  }
  const problems = [];
  const seen = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "OPTION", "NOSCRIPT", "svg", "title"].includes(el.tagName)) continue;
    const text = ownText(el).trim();
    if (!text) continue;
    // Inactive controls are exempt (WCAG 1.4.3), and so is text nobody can see.
    if (el.matches(":disabled")) continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const { background, ink } = painted(chainOf(el), 0, { r: 255, g: 255, b: 255, a: 1 });
    const [light, dark] = [luminance(ink), luminance(background)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio >= minimum) continue;
    const rgb = (c) => "rgb(" + [c.r, c.g, c.b].map(Math.round).join(", ") + ")";
    const line = describe(el) + ": " + ratio.toFixed(2) + ":1 (" + rgb(ink) + " on " +
      rgb(background) + ")";
    if (!seen.has(line)) { seen.add(line); problems.push(line); }
  }
  return problems;
}"""
)


def unlabelled_fields(page) -> list[str]:
    return page.evaluate(_UNLABELLED)


def heading_problems(page) -> list[str]:
    headings = page.evaluate(_HEADINGS)
    problems = []
    ones = [text for level, text in headings if level == 1]
    if len(ones) != 1:
        problems.append(f"{len(ones)} h1 headings (want exactly one): {ones}")
    if headings and headings[0][0] != 1:
        problems.append(f"the first heading is h{headings[0][0]} {headings[0][1]!r}, not the h1")
    for (before, _text), (level, text) in zip(headings, headings[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level} {text!r} (a level is skipped)")
    return problems


def low_contrast(page, minimum: float = MINIMUM_CONTRAST) -> list[str]:
    return page.evaluate(_LOW_CONTRAST, minimum)


def _picture(page, box: dict, viewport: dict):
    left = max(0, box["x"] - FOCUS_MARGIN)
    top = max(0, box["y"] - FOCUS_MARGIN)
    right = min(viewport["width"], box["x"] + box["width"] + FOCUS_MARGIN)
    bottom = min(viewport["height"], box["y"] + box["height"] + FOCUS_MARGIN)
    if right - left < 1 or bottom - top < 1:
        return None
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    return Image.open(io.BytesIO(page.screenshot(clip=clip, animations="disabled"))).convert("RGB")


def invisible_focus(page, max_tabs: int = MAX_TABS) -> tuple[int, list[str]]:
    """Tab through the page from the top; for each element reached, compare how it looks
    focused and unfocused. Returns how many elements were reached and the ones that look the
    same either way (or that take focus where nothing can be seen)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    reached, problems = set(), []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        element = page.evaluate(_FOCUSED)
        if element is None or element["key"] in reached:
            break  # focus left the page, or came round to the start again
        reached.add(element["key"])
        focused = _picture(page, element["box"], element["viewport"])
        if focused is None:
            problems.append(f"{element['description']}: focused, but not on the screen")
            continue
        page.evaluate("document.activeElement.blur()")
        unfocused = _picture(page, element["box"], element["viewport"])
        page.evaluate(
            "(key) => document.querySelector(`[data-a11y-focus='${key}']`).focus()",
            element["key"],
        )
        if ImageChops.difference(focused, unfocused).getbbox() is None:
            problems.append(f"{element['description']}: looks the same focused and unfocused")
    return len(reached), problems
