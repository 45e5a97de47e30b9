// Resident memory as /proc reports it: the figure `/metrics` and the benchmarks print.
import Testing
@testable import GridwallServer

@Suite struct ResidentMemoryTests {
    @Test func readsTheVmRSSLineAtEverySize() {
        #expect(residentBytes(status: "Name:\tgridwall\nVmRSS:\t   51200 kB\nVmData:\t 1 kB\n") == 51_200 * 1024)
        // Eight digits fill the field: no space after the tab (about 10 GB and up).
        #expect(residentBytes(status: "VmRSS:\t10123456 kB\n") == 10_123_456 * 1024)
        #expect(residentBytes(status: "Name:\tgridwall\n") == 0)
    }

    @Test func thisProcessHasSome() {
        #expect(residentBytes() > 1 << 20)
    }
}
