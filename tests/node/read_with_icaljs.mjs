// Read an iCalendar file with ical.js (the parser Thunderbird uses) and print
// what it sees of each event as JSON, for the Python interop tests to compare.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}

const moment = (time) => ({
  local: time.toString(),
  allDay: time.isDate,
  utc: time.isDate ? null : time.toUnixTime(),
});

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    conference: component.getAllProperties("conference").map((property) => ({
      uri: property.getFirstValue(),
      feature: property.getParameter("feature"),
      label: property.getParameter("label"),
    })),
    attachments: component.getAllProperties("attach").map((property) => property.getFirstValue()),
    url: component.getFirstPropertyValue("url"),
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: moment(event.startDate),
    end: moment(event.endDate),
    alarms: component.getAllSubcomponents("valarm").map((alarm) =>
      alarm.getFirstPropertyValue("trigger").toSeconds()),
  };
});
const texts = Object.fromEntries(["name", "x-wr-calname", "description", "x-wr-caldesc"]
  .map((name) => [name, calendar.getFirstPropertyValue(name)]));
console.log(JSON.stringify({ texts, events }));
