import Testing

@testable import WebBrowse

@Suite("SSRF guard")
struct AddressPolicyTests {
    @Test(arguments: [
        ("127.0.0.1", AddressRefusal.loopback),
        ("127.255.255.254", .loopback),
        ("10.1.2.3", .privateNetwork),
        ("172.16.0.1", .privateNetwork),
        ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork),
        ("169.254.1.1", .linkLocal),
        ("169.254.169.254", .cloudMetadata),
        ("100.100.100.200", .cloudMetadata),
        ("fd00:ec2::254", .cloudMetadata),
        ("100.64.0.1", .sharedAddressSpace),
        ("100.127.255.255", .sharedAddressSpace),
        ("224.0.0.1", .multicast),
        ("239.255.255.250", .multicast),
        ("255.255.255.255", .broadcast),
        ("240.0.0.1", .reserved),
        ("0.0.0.0", .unspecified),
        ("0.1.2.3", .unspecified),
        ("::", .unspecified),
        ("::1", .loopback),
        ("fe80::1", .linkLocal),
        ("febf:ffff::1", .linkLocal),
        ("fc00::1", .uniqueLocal),
        ("fdff:ffff::1", .uniqueLocal),
        ("ff02::1", .multicast),
        ("::ffff:127.0.0.1", .loopback),
        ("::ffff:7f00:1", .loopback),
        ("::ffff:10.0.0.1", .privateNetwork),
        ("::ffff:169.254.169.254", .cloudMetadata),
        ("::127.0.0.1", .loopback),
        ("64:ff9b::7f00:1", .loopback),
        ("2002:c0a8:101::1", .privateNetwork),
    ])
    func nonPublicAddressesAreRefused(text: String, reason: AddressRefusal) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy().refusal(for: address) == reason)
    }

    @Test(arguments: [
        "8.8.8.8", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255", "192.169.0.1",
        "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808",
        "2002:808:808::1", "fe7f::1", "2001:4860::1",
    ])
    func publicAddressesAreAllowed(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy().refusal(for: address) == nil)
    }

    @Test func allowListedRangesAndNamesAreExempt() throws {
        let policy = AddressPolicy(
            allowList: try AllowList(entries: ["127.0.0.1", "10.0.0.0/8", "fd12::/16", "wiki.internal"]))

        #expect(policy.refusal(for: try #require(IPAddress("127.0.0.1"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("127.0.0.2"))) == .loopback)
        #expect(policy.refusal(for: try #require(IPAddress("10.200.3.4"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("::ffff:10.200.3.4"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("192.168.0.1"))) == .privateNetwork)
        #expect(policy.refusal(for: try #require(IPAddress("fd12:1::5"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("fd13::5"))) == .uniqueLocal)
        // A listed name allows whatever it resolves to; other names do not.
        #expect(policy.refusal(for: try #require(IPAddress("192.168.0.1")), host: "WIKI.internal.") == nil)
        #expect(policy.refusal(for: try #require(IPAddress("192.168.0.1")), host: "wiki.internal.evil") != nil)
    }

    @Test func metadataAddressesNeedTheirOwnEntry() throws {
        let metadata = try #require(IPAddress("169.254.169.254"))
        let broad = AddressPolicy(allowList: try AllowList(entries: ["169.254.0.0/16", "metadata.google.internal"]))
        #expect(broad.refusal(for: metadata) == .cloudMetadata)
        #expect(broad.refusal(for: metadata, host: "metadata.google.internal") == .cloudMetadata)
        #expect(broad.refusal(for: try #require(IPAddress("169.254.10.10"))) == nil)

        let exact = AddressPolicy(allowList: try AllowList(entries: ["169.254.169.254"]))
        #expect(exact.refusal(for: metadata) == nil)
    }

    @Test func addressesParseOnlyInTheirCanonicalForms() throws {
        #expect(IPAddress("127.0.0.1") == .v4(0x7f00_0001))
        #expect(IPAddress("[::1]") == .v6(high: 0, low: 1))
        #expect(IPAddress("::ffff:127.0.0.1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress("2001:DB8::1")?.description == "2001:db8::1")
        #expect(IPAddress("10.0.0.255")?.description == "10.0.0.255")
        for text in [
            "127.1", "2130706433", "0x7f.0.0.1", "1.2.3.4.5", "256.0.0.1", "::1%eth0", "localhost", "", "1.2.3.4\0",
        ] {
            #expect(IPAddress(text) == nil, "\(text) is not an address")
        }
    }

    @Test func networksMaskTheirAddressAndMatchByPrefix() throws {
        let network = try #require(IPNetwork("10.1.2.3/8"))
        #expect(network.description == "10.0.0.0/8")
        #expect(network.contains(try #require(IPAddress("10.255.0.1"))))
        #expect(!network.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!network.contains(try #require(IPAddress("::ffff:10.0.0.1"))))
        #expect(try #require(IPNetwork("::/0")).contains(try #require(IPAddress("2001:db8::1"))))
        #expect(try #require(IPNetwork("fe80::/10")).contains(try #require(IPAddress("febf::1"))))
        #expect(try #require(IPNetwork("2001:db8::/96")).contains(try #require(IPAddress("2001:db8::ffff:ffff"))))
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("::/129") == nil)
        #expect(IPNetwork("10.0.0.0/-1") == nil)
        #expect(IPNetwork("10.0.0.0/") == nil)
    }
}

@Suite("Browse configuration")
struct BrowseConfigurationTests {
    @Test func defaultsAreTheDocumentedLimits() {
        let configuration = BrowseConfiguration()
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.totalTimeout == .seconds(30))
        #expect(configuration.maxRedirects == 5)
        #expect(configuration.maxBodyBytes == 2 * 1024 * 1024)
        #expect(configuration.maxOutputCharacters == 20_000)
        #expect(configuration.userAgent == "Anvil/0.1 (+https://github.com/anvil; web_browse)")
        #expect(configuration.allowList == AllowList())
    }

    @Test func theEnvironmentAddsToTheConfiguredAllowList() throws {
        let configured = BrowseConfiguration(allowList: try AllowList(entries: ["wiki.internal"]))
        let configuration = try BrowseConfiguration(
            environment: ["ANVIL_BROWSE_ALLOW": " localhost, 10.0.0.0/8,,::1 ,fd00::/8,[fe80::1],Intranet.Example."],
            configured: configured
        )

        #expect(configuration.allowList.hosts == ["wiki.internal", "localhost", "intranet.example"])
        #expect(
            configuration.allowList.networks.map(\.description) == [
                "10.0.0.0/8", "::1/128", "fd00::/8", "fe80::1/128",
            ])
        #expect(try BrowseConfiguration(environment: [:], configured: configured) == configured)
    }

    @Test(arguments: ["10.0.0.0/33", "300.1.1.1", "bad host", "http://example.com", "*.example.com", "::1/abc"])
    func invalidEntriesAreNamed(entry: String) {
        let error = #expect(throws: BrowseConfigurationError.self) {
            try BrowseConfiguration(environment: ["ANVIL_BROWSE_ALLOW": "localhost,\(entry)"])
        }
        #expect(error == .invalidAllowListEntry(entry))
        #expect(error?.description.hasPrefix("Invalid web_browse allow-list entry '\(entry)': expected") == true)
    }
}
