// Temporary folders for tests. Every folder a test run makes sits in one folder of the run's own
// (`gridwall-tests-<pid>` in the system's temporary directory), removed when the run exits, so
// neither a test that throws before its cleanup nor a fixture shared by a whole suite leaves
// stores and files behind; folders of earlier runs that were killed are swept at the first call.
import Foundation

extension TestData {
    /// A new, empty folder for one test (or one shared fixture), named after `purpose`.
    public static func scratchFolder(_ purpose: String) throws -> URL {
        let dir = ScratchFolders.run.appendingPathComponent("\(purpose)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

enum ScratchFolders {
    static let prefix = "gridwall-tests-"

    /// This run's folder, made (and its removal at exit arranged) on first use.
    static let run: URL = {
        let fm = FileManager.default
        let temporary = fm.temporaryDirectory
        sweepFoldersOfEndedRuns(in: temporary)
        let dir = temporary.appendingPathComponent(prefix + String(getpid()))
        try? fm.removeItem(at: dir)
        try! fm.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit {
            try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent(ScratchFolders.prefix + String(getpid())))
        }
        return dir
    }()

    /// Removes the folders of runs whose process is gone (killed before their exit handler ran).
    static func sweepFoldersOfEndedRuns(in temporary: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name)) }
        }
    }
}
