import Foundation

extension ArgumentExtractor {
    /// Dates and date-times: ISO dates ("2026-03-05"), month names ("March 5th", "5 March 2026"), named days
    /// ("today", "tomorrow"), weekdays ("next Friday"), offsets ("in 3 days", "2 weeks ago", "in 2 hours") and
    /// "end of the month", all counted from `now` in the extractor's time zone. Date-times also read a time of day
    /// ("at 3pm", "15:30", "noon"); without one they start at midnight.
    ///
    /// A month and day without a year mean the next such day, today included, because people mostly name dates
    /// to plan. "Next Friday" is the first Friday after today; "Friday" alone may be today.
    struct DateValue: ValueExtractor {
        let confidence = 0.9

        private static let nameWords: Set<String> = ["date", "datetime", "deadline", "due", "when"]
        private static let months = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        private static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

        /// What a phrase in the message points at.
        enum Mention {
            /// A calendar day; ISO date-times also carry the time of day.
            case day(DateComponents)
            /// An exact moment, such as "in 2 hours" or "now".
            case moment(Date)
        }

        struct TimeOfDay {
            let hour: Int
            let minute: Int
        }

        func handles(_ parameter: Parameter) -> Bool {
            guard parameter.isText else { return false }
            if let format = parameter.format { return format == "date" || format == "date-time" || format == "time" }
            return parameter.nameWords.contains { Self.nameWords.contains($0) || $0 == "time" }
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            let calendar = context.calendar
            if parameter.format == "time" || (parameter.format == nil && parameter.nameWords.last == "time") {
                return timeValue(in: &context)
            }
            let mention = context.takeFirst(context.dateMentions)
            guard parameter.format == "date-time" || parameter.nameWords.contains("datetime") else {
                switch mention {
                case .day(let components):
                    return .string(Self.dateText(components))
                case .moment(let date):
                    return .string(Self.dateText(calendar.dateComponents([.year, .month, .day], from: date)))
                case nil:
                    return nil
                }
            }

            var components: DateComponents
            switch mention {
            case .moment(let date): return .string(Self.dateTimeText(date, calendar: calendar))
            case .day(let day): components = day
            case nil: components = calendar.dateComponents([.year, .month, .day], from: context.now)
            }
            if components.hour == nil {
                if let time = context.takeFirst(context.times) {
                    components.hour = time.hour
                    components.minute = time.minute
                } else if mention == nil {
                    return nil
                }
            }
            components.hour = components.hour ?? 0
            components.minute = components.minute ?? 0
            components.second = components.second ?? 0
            guard let date = calendar.date(from: components) else { return nil }
            return .string(Self.dateTimeText(date, calendar: calendar))
        }

        /// A time of day with the offset the time zone has today: "7pm" gives `19:00:00+01:00` in Paris in
        /// winter. "In 2 hours" and "now" give the moment's time.
        private func timeValue(in context: inout Context) -> JSONValue? {
            let calendar = context.calendar
            let offset = calendar.timeZone.secondsFromGMT(for: context.now)
            if let time = context.takeFirst(context.times) {
                return .string(Self.timeText(hour: time.hour, minute: time.minute, second: 0, offset: offset))
            }
            let moments = context.dateMentions.compactMap { found -> Found<Date>? in
                if case .moment(let date) = found.value { return Found(range: found.range, value: date) }
                return nil
            }
            guard let moment = context.takeFirst(moments) else { return nil }
            let parts = calendar.dateComponents([.hour, .minute, .second], from: moment)
            return .string(
                Self.timeText(
                    hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0,
                    offset: calendar.timeZone.secondsFromGMT(for: moment)))
        }

        static func timeText(hour: Int, minute: Int, second: Int, offset: Int) -> String {
            let zone = "\(offset < 0 ? "-" : "+")\(padded(abs(offset) / 3600, 2)):\(padded(abs(offset) % 3600 / 60, 2))"
            return "\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2))\(offset == 0 ? "Z" : zone)"
        }

        // MARK: Finding dates

        /// Every date phrase in the message. More specific patterns are read first and keep their span, so
        /// "end of next month" is not also read as "next month".
        static func mentions(in context: Context) -> [Found<Mention>] {
            let text = context.text
            let clues = Clues(text)
            let calendar = context.calendar
            let today = calendar.startOfDay(for: context.now)
            var found: [Found<Mention>] = []
            func add(_ range: Range<String.Index>, _ mention: Mention?) {
                guard let mention, !found.contains(where: { $0.range.overlaps(range) }) else { return }
                found.append(Found(range: range, value: mention))
            }
            func day(_ date: Date?) -> Mention? {
                date.map { .day(calendar.dateComponents([.year, .month, .day], from: $0)) }
            }
            func adding(_ component: Calendar.Component, _ amount: Int) -> Mention? {
                day(calendar.date(byAdding: component, value: amount, to: today))
            }

            let iso = DatePatterns.iso
            for match in text.matches(of: iso, ifPossible: clues.hasDigit && clues.has("-")) {
                let (_, year, month, dayOfMonth, hour, minute, second) = match.output
                guard var components = validDay(Int(year), Int(month), Int(dayOfMonth), calendar) else { continue }
                if let hour, let minute, let hourValue = Int(hour), let minuteValue = Int(minute),
                    hourValue < 24, minuteValue < 60
                {
                    components.hour = hourValue
                    components.minute = minuteValue
                    components.second = second.flatMap { Int($0) }.map { min($0, 59) } ?? 0
                }
                add(match.range, .day(components))
            }

            let monthFirst =
                DatePatterns.monthFirst
            for match in text.matches(of: monthFirst, ifPossible: clues.hasDigit && clues.hasMonthName) {
                let (_, month, dayOfMonth, year) = match.output
                add(match.range, namedDay(month: month, day: dayOfMonth, year: year, today: today, calendar))
            }
            let dayFirst =
                DatePatterns.dayFirst
            for match in text.matches(of: dayFirst, ifPossible: clues.hasDigit && clues.hasMonthName) {
                let (_, dayOfMonth, month, year) = match.output
                add(match.range, namedDay(month: month, day: dayOfMonth, year: year, today: today, calendar))
            }

            // 3/5/2026 and 3/5 read month first, as in the US, unless the first number cannot be a month.
            let slashed = DatePatterns.slashed
            for match in text.matches(of: slashed, ifPossible: clues.hasDigit && clues.has("/")) {
                let (_, first, second, yearText) = match.output
                guard var month = Int(first), var dayOfMonth = Int(second) else { continue }
                if month > 12 { swap(&month, &dayOfMonth) }
                if let yearText, var year = Int(yearText) {
                    if yearText.count == 2 { year += 2000 }
                    add(match.range, validDay(year, month, dayOfMonth, calendar).map(Mention.day))
                } else {
                    add(match.range, upcomingDay(month: month, day: dayOfMonth, today: today, calendar))
                }
            }

            let endOfMonth = DatePatterns.endOfMonth
            for match in text.matches(of: endOfMonth, ifPossible: clues.has("end")) {
                let base = calendar.date(byAdding: .month, value: match.output.1 == nil ? 0 : 1, to: today) ?? today
                let lastDay = calendar.range(of: .day, in: .month, for: base)?.count
                var components = calendar.dateComponents([.year, .month], from: base)
                components.day = lastDay
                add(match.range, lastDay == nil ? nil : .day(components))
            }

            let offset =
                DatePatterns.offset
            for match in text.matches(
                of: offset,
                ifPossible: clues.hasAny(["minute", "hour", "day", "week", "fortnight", "month", "year"])
            ) {
                let (_, lead, amountText, unit, tail) = match.output
                guard lead != nil || tail != nil,
                    let magnitude = Int(amountText) ?? ArgumentExtractor.numberWordValue(amountText)
                else { continue }
                let direction = tail.map { $0.lowercased().hasSuffix("ago") || $0.lowercased().hasSuffix("earlier") }
                let amount = direction == true ? -magnitude : magnitude
                switch unit.lowercased() {
                case "minute": add(match.range, .moment(context.now.addingTimeInterval(Double(amount) * 60)))
                case "hour": add(match.range, .moment(context.now.addingTimeInterval(Double(amount) * 3600)))
                case "day": add(match.range, adding(.day, amount))
                case "week": add(match.range, adding(.day, amount * 7))
                case "fortnight": add(match.range, adding(.day, amount * 14))
                case "month": add(match.range, adding(.month, amount))
                default: add(match.range, adding(.year, amount))
                }
            }

            let period = DatePatterns.period
            for match in text.matches(of: period, ifPossible: clues.hasAny(["next", "this", "last"])) {
                let (_, which, unit) = match.output
                let amount = ["next": 1, "last": -1][which.lowercased()] ?? 0
                switch unit.lowercased() {
                case "week": add(match.range, adding(.day, amount * 7))
                case "month": add(match.range, adding(.month, amount))
                default: add(match.range, adding(.year, amount))
                }
            }

            let named =
                DatePatterns.named
            for match in text.matches(
                of: named, ifPossible: clues.hasAny(["today", "tonight", "tomorrow", "yesterday", "now"]))
            {
                let word = match.output.1.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                switch word {
                case "now": add(match.range, .moment(context.now))
                case "tomorrow": add(match.range, adding(.day, 1))
                case "yesterday": add(match.range, adding(.day, -1))
                case "day after tomorrow": add(match.range, adding(.day, 2))
                case "day before yesterday": add(match.range, adding(.day, -2))
                default: add(match.range, day(today))
                }
            }

            let weekend = DatePatterns.weekend
            let saturdayAhead = (7 - calendar.component(.weekday, from: today)) % 7
            for match in text.matches(of: weekend, ifPossible: clues.has("weekend")) {
                let isNext = match.output.lowercased().hasPrefix("next")
                add(match.range, adding(.day, saturdayAhead + (isNext ? 7 : 0)))
            }

            // "on the 5th", "the 31st": the next day with that number, skipping months too short for it.
            let ordinal = DatePatterns.ordinal
            for match in text.matches(of: ordinal, ifPossible: clues.hasDigit && clues.has("the")) {
                guard let dayOfMonth = Int(match.output.1), (1...31).contains(dayOfMonth) else { continue }
                var components = calendar.dateComponents([.year, .month], from: today)
                var result: Mention?
                for _ in 0..<13 {
                    if let valid = validDay(components.year, components.month, dayOfMonth, calendar),
                        let date = calendar.date(from: valid), date >= today
                    {
                        result = .day(valid)
                        break
                    }
                    let month = (components.month ?? 1) % 12 + 1
                    if month == 1 { components.year = (components.year ?? 0) + 1 }
                    components.month = month
                }
                add(match.range, result)
            }

            let weekday =
                DatePatterns.weekday
            let todayWeekday = calendar.component(.weekday, from: today)
            for match in text.matches(of: weekday, ifPossible: clues.has("day")) {
                let (_, qualifier, name) = match.output
                guard let index = weekdays.firstIndex(of: name.lowercased()) else { continue }
                let ahead = (index + 1 - todayWeekday + 7) % 7
                let amount: Int
                switch qualifier?.lowercased() {
                case "next": amount = ahead == 0 ? 7 : ahead
                case "last": amount = ahead == 0 ? -7 : ahead - 7
                default: amount = ahead
                }
                add(match.range, adding(.day, amount))
            }
            return found
        }

        /// Times of day: "3pm", "3:30 p.m.", "15:30", "noon", "midnight".
        static func times(in text: String) -> [Found<TimeOfDay>] {
            let clues = Clues(text)
            var found: [Found<TimeOfDay>] = []
            let twelveHour = DatePatterns.twelveHour
            for match in text.matches(of: twelveHour, ifPossible: clues.hasDigit && clues.has("m")) {
                let (_, hourText, minuteText, half) = match.output
                guard let hour = Int(hourText), (1...12).contains(hour) else { continue }
                let minute = minuteText.flatMap { Int($0) } ?? 0
                guard minute < 60 else { continue }
                let hourOfDay = hour % 12 + (half.lowercased() == "p" ? 12 : 0)
                found.append(Found(range: match.range, value: TimeOfDay(hour: hourOfDay, minute: minute)))
            }
            for match in text.matches(of: clockPattern, ifPossible: clues.has(":")) {
                let (_, hourText, minuteText) = match.output
                guard let hour = Int(hourText), let minute = Int(minuteText), hour < 24, minute < 60,
                    !found.contains(where: { $0.range.overlaps(match.range) })
                else { continue }
                found.append(Found(range: match.range, value: TimeOfDay(hour: hour, minute: minute)))
            }
            // "at 7", "7 o'clock", "8 in the evening": a bare hour is afternoon or evening when people would mean
            // that (1 to 7, or said so), morning otherwise.
            let evening =
                clues.hasAny(["tonight", "evening", "dinner", "night"])
                && text.firstMatch(of: DatePatterns.eveningWord) != nil
            let bare =
                DatePatterns.bare
            for match in text.matches(of: bare, ifPossible: clues.hasDigit && clues.hasAny(["at", "clock"]))
            where !found.contains(where: { $0.range.overlaps(match.range) }) {
                let (_, atHour, clockHour, part) = match.output
                guard let hour = (atHour ?? clockHour).flatMap({ Int($0) }), (1...12).contains(hour) else { continue }
                let afternoon: Bool
                switch part?.lowercased() {
                case "morning": afternoon = false
                case "afternoon", "evening": afternoon = true
                default: afternoon = hour < 8 || (evening && hour < 12)
                }
                let hourOfDay = hour == 12 ? 12 : hour + (afternoon ? 12 : 0)
                found.append(Found(range: match.range, value: TimeOfDay(hour: hourOfDay, minute: 0)))
            }
            for match in text.matches(
                of: DatePatterns.namedTime, ifPossible: clues.hasAny(["noon", "midday", "midnight"]))
            {
                let hour = match.output.1.lowercased() == "midnight" ? 0 : 12
                found.append(Found(range: match.range, value: TimeOfDay(hour: hour, minute: 0)))
            }
            return found
        }

        /// Dates and clock times, whose digits are not numbers of their own; `times` are those of `text`.
        static func opaqueSpans(in text: String, times: [Found<TimeOfDay>]) -> [Range<String.Index>] {
            let clues = Clues(text)
            let iso = text.matches(of: DatePatterns.isoSpan, ifPossible: clues.hasDigit && clues.has("-"))
            let clock = text.matches(of: clockPattern, ifPossible: clues.has(":"))
            let named = text.matches(
                of: DatePatterns.namedDateSpan, ifPossible: clues.hasDigit && (clues.hasMonthName || clues.has("/")))
            return iso.map(\.range) + times.map(\.range) + clock.map(\.range) + named.map(\.range)
        }

        private static var clockPattern: Regex<(Substring, Substring, Substring)> {
            DatePatterns.clock
        }

        // MARK: Building dates

        private static func namedDay(
            month: Substring,
            day: Substring,
            year: Substring?,
            today: Date,
            _ calendar: Calendar
        ) -> Mention? {
            guard let monthIndex = months.firstIndex(of: String(month.prefix(3)).lowercased()) else { return nil }
            if let year {
                return validDay(Int(year), monthIndex + 1, Int(day), calendar).map(Mention.day)
            }
            return upcomingDay(month: monthIndex + 1, day: Int(day) ?? 0, today: today, calendar)
        }

        /// The next such day, today included; February 29th waits for the next leap year.
        private static func upcomingDay(month: Int, day: Int, today: Date, _ calendar: Calendar) -> Mention? {
            let thisYear = calendar.component(.year, from: today)
            for year in thisYear...(thisYear + 8) {
                guard let components = validDay(year, month, day, calendar),
                    let date = calendar.date(from: components), date >= today
                else { continue }
                return .day(components)
            }
            return nil
        }

        /// The day's components when the day exists: February 30th does not.
        private static func validDay(
            _ year: Int?,
            _ month: Int?,
            _ day: Int?,
            _ calendar: Calendar
        ) -> DateComponents? {
            guard let year, let month, let day, (1...12).contains(month), (1...31).contains(day) else { return nil }
            let components = DateComponents(year: year, month: month, day: day)
            guard let date = calendar.date(from: components),
                calendar.dateComponents([.year, .month, .day], from: date) == components
            else { return nil }
            return components
        }

        // MARK: Formatting

        /// `yyyy-MM-dd`, the JSON Schema `date` format.
        static func dateText(_ components: DateComponents) -> String {
            "\(padded(components.year ?? 0, 4))-\(padded(components.month ?? 1, 2))-\(padded(components.day ?? 1, 2))"
        }

        /// RFC 3339 with the time zone's offset, the JSON Schema `date-time` format.
        static func dateTimeText(_ date: Date, calendar: Calendar) -> String {
            let components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let time = [components.hour, components.minute, components.second].map { padded($0 ?? 0, 2) }
            let offset = calendar.timeZone.secondsFromGMT(for: date)
            let zone = "\(offset < 0 ? "-" : "+")\(padded(abs(offset) / 3600, 2)):\(padded(abs(offset) % 3600 / 60, 2))"
            return "\(dateText(components))T\(time.joined(separator: ":"))\(offset == 0 ? "Z" : zone)"
        }

        private static func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }
}

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum DatePatterns {
    nonisolated(unsafe) static let iso = #/\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/#
        .wordBoundaryKind(.simple)
    nonisolated(unsafe) static let monthFirst =
        #/
        \b (january|february|march|april|may|june|july|august|september|october|november|december
            |jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)
        \.? \s+ (\d{1,2}) (?:st|nd|rd|th)? \b (?: ,? \s+ (\d{4}) \b )?
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let dayFirst =
        #/
        \b (\d{1,2}) (?:st|nd|rd|th)? \s+ (?:of \s+)?
        (january|february|march|april|may|june|july|august|september|october|november|december
            |jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)
        \b \.? (?: ,? \s+ (\d{4}) \b )?
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let slashed = #/\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b/#.wordBoundaryKind(.simple)
    nonisolated(unsafe) static let endOfMonth =
        #/\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?month\b/#
        .ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let offset =
        #/
        \b (in \s+)?
        (\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen
            |fifteen|sixteen|seventeen|eighteen|nineteen|twenty)
        \s+ (minute|hour|day|week|fortnight|month|year)s? \b
        (\s+ (?:ago|earlier|from \s+ now|later))?
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let period = #/\b(next|this|last)\s+(week|month|year)\b/#.ignoresCase().wordBoundaryKind(
        .simple)
    nonisolated(unsafe) static let named =
        #/
        \b (?:the \s+)?
        (day \s+ after \s+ tomorrow|day \s+ before \s+ yesterday|today|tonight|tomorrow|yesterday|now) \b
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let weekend = #/\b(?:this\s+|the\s+|next\s+)?weekend\b/#.ignoresCase().wordBoundaryKind(
        .simple)
    nonisolated(unsafe) static let ordinal = #/\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b/#.ignoresCase()
        .wordBoundaryKind(.simple)
    nonisolated(unsafe) static let weekday =
        #/
        \b (?: (next|this|coming|last|on) \s+ )? (monday|tuesday|wednesday|thursday|friday|saturday|sunday) \b
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let twelveHour = #/\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\b\.?/#.ignoresCase()
        .wordBoundaryKind(.simple)
    nonisolated(unsafe) static let eveningWord = #/\b(tonight|evening|dinner|night)\b/#.ignoresCase()
    nonisolated(unsafe) static let bare =
        #/
        \b (?: at \s+ (\d{1,2})
            (?! \s* [:.]?\d | \s* [ap]\.?m\b | \s* (?:%|percent|people|guests|persons))
            (?: \s* o'?clock)?
        | (\d{1,2}) \s* o'?clock )
        (?: \s+ in \s+ the \s+ (morning|afternoon|evening) )? \b
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let namedTime = #/\b(noon|midday|midnight)\b/#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let isoSpan = #/\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?/#
        .wordBoundaryKind(
            .simple)
    nonisolated(unsafe) static let namedDateSpan =
        #/
        \b (?: (?:january|february|march|april|may|june|july|august|september|october|november|december
            |jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec) \.? \s+ \d{1,2} (?:st|nd|rd|th)? (?: ,? \s+ \d{4})?
        | \d{1,2} (?:st|nd|rd|th)? \s+ (?:of \s+)? (?:january|february|march|april|may|june|july|august
            |september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)
            (?: ,? \s+ \d{4})?
        | \d{1,2}/\d{1,2}(?:/\d{2,4})? ) \b
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let clock = #/\b(\d{1,2}):(\d{2})\b/#.wordBoundaryKind(.simple)
}
