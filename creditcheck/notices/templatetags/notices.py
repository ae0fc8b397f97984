"""Labels of notice channels and contents for the templates."""

from django import template

from creditcheck.notices.enums import NoticeChannel, NoticeContent

register = template.Library()


@register.filter
def notice_channel(value: str) -> str:
    return str(NoticeChannel(value).label) if value in NoticeChannel.values else value


@register.filter
def notice_content(value: str) -> str:
    return str(NoticeContent(value).label) if value in NoticeContent.values else value
