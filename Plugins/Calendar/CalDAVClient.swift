import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import WebBrowse

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A calendar resource on a CalDAV server.
struct RemoteCalendarItem: Sendable, Hashable {
    /// The resource's path, percent-decoded.
    var href: String
    var etag: String?
    var data: String
}

/// Talks to one CalDAV calendar collection with basic authentication: lists its events with a `calendar-query`
/// REPORT, writes events with PUT and removes them with DELETE.
///
/// Redirects are not followed, so a server cannot send requests on to an address the address check refused.
struct CalDAVClient {
    let calendarURL: URL
    let username: String
    let password: String
    let httpClient: HTTPClient
    static let timeout = TimeAmount.seconds(30)
    static let maximumResponseBytes = 32 * 1024 * 1024

    /// Checks that `url` is an http(s) URL whose host is allowed, and returns it with a trailing slash.
    static func checkedURL(_ text: String, allowPrivate: Bool) async throws(CalendarError) -> URL {
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else {
            throw .invalidField(
                field: "url", message: "must be an http or https URL of a calendar collection, without credentials")
        }
        if !components.path.hasSuffix("/") { components.path += "/" }
        components.query = nil
        components.fragment = nil
        guard let url = components.url else { throw .invalidField(field: "url", message: "is not a valid URL") }
        if !allowPrivate {
            let port = components.port ?? (scheme == "https" ? 443 : 80)
            let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            let resolved: String?
            do {
                resolved = try await NIOThreadPool.singleton.runIfActive {
                    try SocketAddress.makeAddressResolvingHost(bare, port: port).ipAddress
                }
            } catch {
                throw .invalidField(field: "url", message: "the host '\(host)' cannot be resolved")
            }
            guard let resolved, let address = IPAddress(resolved) else {
                throw .invalidField(field: "url", message: "the host '\(host)' cannot be resolved")
            }
            if let refusal = AddressPolicy.classify(address) {
                throw .refusedAddress(host: host, reason: "\(address) is \(refusal)")
            }
        }
        return url
    }

    /// Every event resource in the collection.
    func list() async throws -> [RemoteCalendarItem] {
        let body = """
            <?xml version="1.0" encoding="utf-8"?>
            <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
              <d:prop><d:getetag/><c:calendar-data/></d:prop>
              <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter>
            </c:calendar-query>
            """
        let (status, _, data) = try await send(
            method: .RAW(value: "REPORT"), url: calendarURL,
            headers: [("Depth", "1"), ("Content-Type", "application/xml; charset=utf-8")], body: body)
        guard status == .multiStatus else {
            throw CalendarError.calDAV("REPORT \(calendarURL.path) answered \(status.code) instead of 207")
        }
        return try MultistatusParser.items(in: data)
    }

    /// Writes one event resource at `href` and returns its new ETag when the server gives one.
    func put(href: String, ics: String) async throws -> String? {
        let (status, headers, _) = try await send(
            method: .PUT, url: try url(for: href),
            headers: [("Content-Type", "text/calendar; charset=utf-8")], body: ics)
        guard (200..<300).contains(status.code) else {
            throw CalendarError.calDAV("PUT \(href) answered \(status.code)")
        }
        return headers.first(name: "ETag")
    }

    /// Removes one resource; one that is already gone counts as removed.
    func delete(href: String) async throws {
        let (status, _, _) = try await send(method: .DELETE, url: try url(for: href), headers: [], body: nil)
        guard (200..<300).contains(status.code) || status == .notFound || status == .gone else {
            throw CalendarError.calDAV("DELETE \(href) answered \(status.code)")
        }
    }

    /// The path of a new event's resource: the UID with `.ics`, or the event's id when the UID has characters
    /// that do not belong in a file name.
    func href(for event: CalendarEvent) -> String {
        let safe = event.uid.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "@.-_".unicodeScalars.contains(scalar))
        }
        return calendarURL.path(percentEncoded: false) + (safe ? event.uid : event.id) + ".ics"
    }

    /// The absolute URL of a (decoded) path on the calendar's server.
    private func url(for href: String) throws -> URL {
        var components = URLComponents(url: calendarURL, resolvingAgainstBaseURL: false)
        components?.path = href
        guard let url = components?.url else { throw CalendarError.calDAV("cannot build a URL for '\(href)'") }
        return url
    }

    private func send(
        method: HTTPMethod, url: URL, headers: [(String, String)], body: String?
    ) async throws -> (HTTPResponseStatus, HTTPHeaders, String) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        let credentials = Data("\(username):\(password)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.headers.add(name: "User-Agent", value: "Anvil-Calendar")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: Self.timeout)
        } catch {
            throw CalendarError.calDAV("\(method.rawValue) \(url.path) failed: \(error)")
        }
        if response.status == .unauthorized || response.status == .forbidden {
            throw CalendarError.calDAV("the server refused the username or password (\(response.status.code))")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch {
            throw CalendarError.calDAV("the response to \(method.rawValue) \(url.path) was too large or cut off")
        }
        return (response.status, response.headers, String(buffer: buffer))
    }
}

/// Reads a WebDAV `multistatus` answer: each response's href, ETag and calendar data.
final class MultistatusParser: NSObject, XMLParserDelegate {
    private var items: [RemoteCalendarItem] = []
    private var href: String?
    private var etag: String?
    private var calendarData: String?
    private var propstatOK = true
    private var pendingETag: String?
    private var pendingData: String?
    private var text = ""

    static func items(in xml: String) throws -> [RemoteCalendarItem] {
        let delegate = MultistatusParser()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse() else {
            throw CalendarError.calDAV("the REPORT answer is not valid XML")
        }
        return delegate.items
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        text = ""
        switch elementName {
        case "response":
            href = nil
            etag = nil
            calendarData = nil
        case "propstat":
            propstatOK = true
            pendingETag = nil
            pendingData = nil
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        text += String(decoding: block, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch elementName {
        case "href" where href == nil:
            href = value.removingPercentEncoding ?? value
        case "status":
            propstatOK = value.contains(" 200")
        case "getetag":
            pendingETag = value
        case "calendar-data":
            pendingData = text
        case "propstat":
            if propstatOK {
                etag = pendingETag ?? etag
                calendarData = pendingData ?? calendarData
            }
        case "response":
            if let href, let calendarData, !calendarData.isEmpty {
                items.append(RemoteCalendarItem(href: href, etag: etag, data: calendarData))
            }
        default: break
        }
        text = ""
    }
}
