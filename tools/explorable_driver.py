"""Operate an explorable in a browser page as a reader would, and compare its numbers
with bp's.

Used by tools/browser_test.py (every explorable on the built site, at phone and laptop
sizes) and by tools/explorable_check.py (one explorable's preview page, while it is
being written).

A reference case (bp/explorables/<name>.py, ``reference()``) is a list of actions and
the numbers bp computes for the setting they make:

    ["fill", control, value]     drag a slider to the raw value (input.value) `value`
    ["press", control, key]      focus the control and press a key (e.g. "ArrowRight")
    ["click", control, times]    click a button `times` times
    ["select", control, value]   choose an option of a drop-down list
    ["tap", control, [fx, fy]]   tap a canvas at a fraction (fx, fy) of its width and height

The page's numbers are its root's ``data-result`` (JSON). Every number bp gives must be
there and agree to RELATIVE_TOLERANCE, measured for each array of numbers as
max |page - bp| / max(max |page|, max |bp|), so that one entry that is 0 in bp and
1e-17 in the page (a difference of rounding) does not count as a difference.
"""
import json
import math

RELATIVE_TOLERANCE = 1e-9


def leaves(value, path=""):
    """Yield (path, list of numbers) for every array of numbers, and (path, other) else."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                   or v is None for v in value):
        yield path, value
    elif isinstance(value, list) and value and all(isinstance(v, list) and v and
                                                   all(isinstance(u, (int, float)) for u in v) for v in value):
        yield path, [u for v in value for u in v]
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    else:
        yield path, value


def lookup(result, path):
    value = result
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            value = value[int(part[1:-1])]
        else:
            value = value[part]
    return value


def flatten(value):
    if isinstance(value, list):
        return [u for v in value for u in flatten(v)]
    return [value]


def compare(page_result, bp_result):
    """The largest relative difference over bp's numbers, and the problems found."""
    worst, problems = 0.0, []
    for path, expected in leaves(bp_result):
        try:
            got = lookup(page_result, path)
        except (KeyError, IndexError, TypeError):
            problems.append(f"{path}: bp has it, the page does not")
            continue
        if isinstance(expected, list) or isinstance(expected, (int, float)) and not isinstance(expected, bool):
            want = flatten(expected) if isinstance(expected, list) else [expected]
            have = flatten(got) if isinstance(got, list) else [got]
            if len(want) != len(have):
                problems.append(f"{path}: bp has {len(want)} numbers, the page {len(have)}")
                continue
            finite = [(a, b) for a, b in zip(have, want) if a is not None and b is not None
                      and math.isfinite(a) and math.isfinite(b)]
            if len(finite) != sum(b is not None and math.isfinite(b) for b in want):
                problems.append(f"{path}: finite in bp, not on the page")
                continue
            scale = max([abs(v) for pair in finite for v in pair] + [0.0])
            if scale == 0:
                continue
            error = max(abs(a - b) for a, b in finite) / scale
            worst = max(worst, error)
            if error > RELATIVE_TOLERANCE:
                problems.append(f"{path}: relative difference {error:.2e} from bp (more than "
                                f"{RELATIVE_TOLERANCE:g})")
        elif got != expected:
            problems.append(f"{path}: the page says {got!r}, bp {expected!r}")
    return worst, problems


def control(root, name):
    found = root.locator(f"[data-control={json.dumps(name)}]")
    if found.count() == 0:
        raise AssertionError(f"no control named {name!r} in the explorable")
    return found.first


def act(page, root, action):
    kind, name, value = action
    target = control(root, name)
    target.scroll_into_view_if_needed()
    if kind == "fill":
        target.fill(str(value))
    elif kind == "press":
        target.focus()
        page.keyboard.press(value)
    elif kind == "click":
        for _ in range(int(value)):
            target.click()
    elif kind == "select":
        target.select_option(str(value))
    elif kind == "tap":
        box = target.bounding_box()
        page.mouse.click(box["x"] + value[0] * box["width"], box["y"] + value[1] * box["height"])
    else:
        raise ValueError(f"unknown action {kind!r}")


def result_of(root):
    text = root.get_attribute("data-result")
    if not text:
        raise AssertionError("the explorable wrote no data-result")
    return json.loads(text)


def check_explorable(page, root, cases):
    """Operate one explorable (a Playwright locator of its .bp-explorable root) through
    every case. Returns (largest relative difference from bp, list of problems)."""
    problems = []
    page.wait_for_function("e => e.dataset.ready === '1'", arg=root.element_handle(), timeout=10_000)
    # kept in the page for print (hidden on screen), so the check is on visibility
    if root.locator(".bp-x-static").is_visible():
        problems.append("the static figure is still shown with JavaScript on")
    status = root.locator(".bp-x-status").first
    if status.count() == 0 or status.get_attribute("aria-live") != "polite":
        problems.append("no polite live region (.bp-x-status, aria-live=polite) for the results")
    for slider in root.locator("input[type=range]").all():
        if not slider.get_attribute("aria-valuetext"):
            problems.append(f"slider {slider.get_attribute('data-control')} has no aria-valuetext")
    overflow = root.evaluate("e => e.scrollWidth - e.clientWidth")
    width = page.viewport_size["width"]
    box = root.bounding_box()
    if overflow > 1 or box["x"] + box["width"] > width + 1:
        problems.append(f"the explorable is wider than the screen ({box['width']:.0f} px at x = "
                        f"{box['x']:.0f}, overflow {overflow} px, screen {width} px)")
    # the keyboard: the first slider moves with an arrow key, and says so
    sliders = root.locator("input[type=range]")
    if sliders.count():
        first = sliders.first
        first.scroll_into_view_if_needed()
        before = (first.input_value(), first.get_attribute("aria-valuetext"))
        first.focus()
        key = "ArrowLeft" if first.input_value() == first.get_attribute("max") else "ArrowRight"
        page.keyboard.press(key)
        after = (first.input_value(), first.get_attribute("aria-valuetext"))
        if after[0] == before[0] or after[1] == before[1]:
            problems.append(f"the key {key} did not move slider {first.get_attribute('data-control')} "
                            f"or change its aria-valuetext: {before} -> {after}")
    worst = 0.0
    canvases = root.locator("canvas")
    pictures = [c.evaluate("c => c.toDataURL()") for c in canvases.all()]
    said = status.inner_text() if status.count() else ""
    changed_picture = changed_words = False
    for i, case in enumerate(cases):
        for action in case["actions"]:
            act(page, root, action)
        error, found = compare(result_of(root), case["result"])
        worst = max(worst, error)
        problems += [f"case {i + 1}: {p}" for p in found]
        now = [c.evaluate("c => c.toDataURL()") for c in canvases.all()]
        changed_picture |= now != pictures
        changed_words |= bool(status.count()) and status.inner_text() != said
        pictures, said = now, status.inner_text() if status.count() else ""
    if canvases.count() and not changed_picture:
        problems.append("operating the controls never changed the figure")
    if not changed_words:
        problems.append("operating the controls never changed the result in words")
    return worst, problems
