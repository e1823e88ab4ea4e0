"""Publish a seminar's schedule as an iCalendar feed people can subscribe to."""
