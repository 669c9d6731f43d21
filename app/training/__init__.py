"""Awareness classes about the Party (lớp bồi dưỡng nhận thức về Đảng) and their attendees."""
