import Foundation

/// How a client might show one parameter as a form field. Hints, not rules: the JSON Schema is the contract.
public struct PromptFormField: Sendable, Hashable, Codable {
    /// The parameter, which is also the key in the values object.
    public var name: String
    /// "Check in date" for `check_in_date`.
    public var label: String
    /// One of `text`, `textarea`, `number`, `currency`, `checkbox`, `date`, `datetime-local`, `time`, `email`,
    /// `url`, `select`, `radio`: mostly HTML input types, so a web client can use them as they are.
    public var widget: String
    /// 0-based position: the order parameters first appear in the template.
    public var order: Int
    public var placeholder: String?
    public var required: Bool
    /// The parameter's description, to show as help text.
    public var help: String?
    /// The choices of an enum, in the template's order.
    public var options: [String]?
    public var defaultValue: JSONValue?
    public var minimum: Double?
    public var maximum: Double?
    /// Decimal places and step for number inputs: `1` for integers, `0.01` for money.
    public var step: Double?

    enum CodingKeys: String, CodingKey {
        case name, label, widget, order, placeholder, required, help, options, minimum, maximum, step
        case defaultValue = "default"
    }
}

extension PromptTemplate {
    /// One field per parameter, in template order.
    public var formFields: [PromptFormField] {
        parameters.enumerated().map { order, parameter in parameter.formField(order: order) }
    }
}

extension PromptParameter {
    func formField(order: Int) -> PromptFormField {
        var options: [String]?
        var widget: String
        var placeholder: String?
        var step: Double?
        switch type {
        case .string: widget = "text"
        case .text: widget = "textarea"
        case .integer:
            widget = "number"
            step = 1
        case .number: widget = "number"
        case .money:
            widget = "currency"
            step = 0.01
            placeholder = "0.00"
        case .boolean: widget = "checkbox"
        case .date:
            widget = "date"
            placeholder = "YYYY-MM-DD"
        case .dateTime:
            widget = "datetime-local"
            placeholder = "YYYY-MM-DDTHH:MM"
        case .time:
            widget = "time"
            placeholder = "HH:MM"
        case .email:
            widget = "email"
            placeholder = "name@example.com"
        case .url:
            widget = "url"
            placeholder = "https://"
        case .choice(let choices):
            widget = choices.count <= 3 ? "radio" : "select"
            options = choices
        }
        if case .string(let text) = defaultValue {
            placeholder = text
        } else if let defaultValue, case .integer(let number) = defaultValue {
            placeholder = String(number)
        } else if placeholder == nil, let description, type == .string || type == .text {
            placeholder = description
        }
        return PromptFormField(
            name: name,
            label: label,
            widget: widget,
            order: order,
            placeholder: placeholder,
            required: isRequired,
            help: description,
            options: options,
            defaultValue: defaultValue,
            minimum: minimum,
            maximum: maximum,
            step: step
        )
    }
}
