"""Rendering an ArticleText as a full news page in the paper's shape, 40–100 KB.

Real article pages are mostly not the article: a head full of metadata, inline styles and
scripts (tag managers, ad configuration), then mega-menus, "most viewed" and "latest" lists,
related articles, share widgets and a sitemap footer around a body of a few kilobytes. The
parser's cost is driven by that bulk, so the generator reproduces it rather than the body alone.
"""

from __future__ import annotations

import json
import random
from html import escape

from benchmarks.texts import ArticleText

SECTIONS = ("economy", "industry", "politics", "society", "world", "opinion", "science")
MIN_PAGE_CHARS = 40_000
MAX_PAGE_CHARS = 100_000
_SITE = "The Asia Business Daily"


def render_page(rng: random.Random, text: ArticleText, url: str) -> str:
    """The whole HTML document, padded with site chrome to a size drawn from 40–100 KB."""
    target = rng.randrange(MIN_PAGE_CHARS, MAX_PAGE_CHARS)
    head = _head(rng, text, url)
    article = _article(rng, text, url)
    top = _header(rng)
    bottom = _footer(rng)
    sidebar: list[str] = []
    size = len(head) + len(article) + len(top) + len(bottom)
    while size < target - 1500:
        box = _link_box(rng, rng.choice(("Most Viewed", "Latest News", "Photo News", "Opinion")))
        sidebar.append(box)
        size += len(box)
    aside = f'<aside class="side_area">{"".join(sidebar)}</aside>'
    body = f'<div id="wrap">{top}<div id="container">{article}{aside}</div>{bottom}</div>'
    return f'<!DOCTYPE html>\n<html lang="en">\n{head}\n<body>\n{body}\n</body>\n</html>\n'


def _head(rng: random.Random, text: ArticleText, url: str) -> str:
    title = escape(text.title)
    description = escape(text.paragraphs[0][:150])
    published = f"{text.published:%Y-%m-%dT%H:%M:%S}+09:00"
    image = f"https://cphoto.asiae.co.kr/listimglink/1/{text.article_id[:6]}/{text.article_id}.jpg"
    meta = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title} - {_SITE}</title>",
        f'<meta name="description" content="{description}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:site_name" content="{_SITE}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:image" content="{image}">',
        f'<meta property="article:published_time" content="{published}">',
        f'<meta property="article:section" content="{text.section.title()}">',
        '<meta name="twitter:card" content="summary_large_image">',
        *(f'<link rel="stylesheet" href="/en/css/{n}.css?v=2025">' for n in ("common", "article")),
        f"<style>{_css(rng)}</style>",
        _json_ld(text, url, image, published),
        *_scripts(rng, text.article_id),
    ]
    return "<head>\n" + "\n".join(meta) + "\n</head>"


def _json_ld(text: ArticleText, url: str, image: str, published: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text.title,
        "datePublished": published,
        "author": {"@type": "Person", "name": "Reporter Kim Min-ji"},
        "publisher": {"@type": "Organization", "name": _SITE},
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": [image],
        "description": text.paragraphs[0][:150],
    }
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>'


def _css(rng: random.Random) -> str:
    rules = (
        f".c{rng.randrange(10**6):06} .m{i}"
        f"{{margin:{rng.randrange(40)}px;color:#{rng.randrange(16**6):06x}}}"
        for i in range(rng.randrange(60, 200))
    )
    return "\n".join(rules)


def _scripts(rng: random.Random, article_id: str) -> list[str]:
    slots = [{"id": f"ad-{i}", "size": [300, 250], "targeting": {"pos": i}} for i in range(40)]
    config = json.dumps({"article": article_id, "slots": slots[: rng.randrange(10, 40)]})
    return [
        '<script async src="https://www.googletagmanager.com/gtag/js?id=G-EN0"></script>',
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','G-EN0',{{'article_id':'{article_id}'}});</script>",
        f"<script>window.__AD_CONFIG__ = {config};</script>",
        '<script src="/en/js/jquery.min.js"></script><script src="/en/js/common.js"></script>',
    ]


def _header(rng: random.Random) -> str:
    menus = "".join(
        f'<li class="menu"><a href="/en/list/{section}">{section.title()}</a><ul class="sub">'
        + "".join(
            f'<li><a href="/en/list/{section}/{i}">{section.title()} {i}</a></li>'
            for i in range(rng.randrange(6, 14))
        )
        + "</ul></li>"
        for section in SECTIONS
    )
    return (
        '<a class="skip_nav" href="#container">본문 바로가기</a><div id="header">'
        '<div class="hd_top"><a class="logo" href="/en/"><img src="/en/images/logo.png" '
        f'alt="{_SITE}"></a><ul class="hd_util"><li><a href="/en/login">Log in</a></li></ul>'
        f'</div><nav class="gnb"><ul>{menus}</ul></nav>'
        '<div class="bar_progress"><span style="width:0%"></span></div></div>'
    )


def _article(rng: random.Random, text: ArticleText, url: str) -> str:
    subtitles = "".join(f"<p>{escape(line)}</p>" for line in text.subtitles)
    body = _body(rng, text)
    return (
        '<div class="article_view"><div class="area_title">'
        f'<h1>{escape(text.title)}</h1><div class="sub_title">{subtitles}</div>'
        '<div class="area_info"><span class="byline">Reporter Kim Min-ji</span>'
        f'<span class="date">Published {text.published:%Y.%m.%d %H:%M}</span></div></div>'
        '<div class="article_util"><button type="button">Text Size</button>'
        '<button type="button" class="btn_close">Close</button></div>'
        f'<div id="txt_area">{body}</div>{_share(url)}'
        '<p class="copyright">© The Asia Business Daily (www.asiae.co.kr). All rights '
        f"reserved.</p></div>{_link_box(rng, 'Related Articles', 'related')}"
    )


def _body(rng: random.Random, text: ArticleText) -> str:
    """Paragraphs with the photos (figure + figcaption) placed between them."""
    blocks = [f"<p>{escape(paragraph)}</p>" for paragraph in text.paragraphs]
    for caption in text.captions:
        figure = (
            '<div class="article_photo"><figure class="photo_center">'
            f'<img src="/photo/{rng.randrange(10**8)}.jpg" alt="{escape(text.title)}" width="750">'
            f"<figcaption>{escape(caption)}</figcaption></figure></div>"
        )
        blocks.insert(rng.randrange(1, len(blocks)), figure)
    return "\n".join(blocks)


def _share(url: str) -> str:
    targets = ("facebook", "twitter", "kakao", "linkedin", "line")
    links = "".join(
        f'<a href="https://share.example/{t}?u={url}" class="{t}">{t}</a>' for t in targets
    )
    return f'<div class="share">{links}<a href="#" class="link_copy">Copy link</a></div>'


def _link_box(rng: random.Random, heading: str, css_class: str = "box") -> str:
    items = "".join(
        f'<li><a href="https://www.asiae.co.kr/en/article/{rng.randrange(10**18, 10**19)}">'
        f'{escape(_headline(rng))}</a><span class="time">{rng.randrange(1, 59)} min ago</span></li>'
        for _ in range(rng.randrange(6, 16))
    )
    return f'<div class="{css_class}"><h3>{heading}</h3><ul>{items}</ul></div>'


def _headline(rng: random.Random) -> str:
    subject = rng.choice(("Exports", "Chip Stocks", "Housing Prices", "Hydrogen Cars", "KOSPI"))
    verb = rng.choice(("Rise", "Fall", "Stall", "Rebound", "Surge"))
    return f"{subject} {verb} for {rng.randrange(2, 12)}th Straight Week as Investors Weigh Outlook"


def _footer(rng: random.Random) -> str:
    columns = "".join(
        f"<dl><dt>{section.title()}</dt>"
        + "".join(f'<dd><a href="/en/list/{section}/{i}">Page {i}</a></dd>' for i in range(8))
        + "</dl>"
        for section in SECTIONS
    )
    return (
        f'<div id="footer"><div class="sitemap">{columns}</div><p>Special Coverage</p>'
        '<p>Join us on social!</p><p class="f_copy">Copyright The Asia Business Daily. '
        f'All rights reserved.</p><a href="#wrap" class="btn_top">Top</a></div>'
        f"<!-- build {rng.randrange(10**6)} -->"
    )
