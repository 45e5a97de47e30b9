// Terminal output: errors, summaries and a progress bar that only draws on a terminal.
import ArgumentParser
import Foundation
import GridwallCore

enum Terminal {
    static let isInteractive = isatty(STDERR_FILENO) == 1

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("gridwall: error: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Runs `body`, turning Gridwall errors into a message and a non-zero exit.
    static func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as GridwallError {
            error(e.description)
            throw ExitCode(e.code == .invalidParameter ? 64 : 1)
        }
    }
}

/// A one-line progress bar on stderr, redrawn at most every 1 %.
final class ProgressBar: @unchecked Sendable {
    // Only touched from the importing thread; @unchecked because the callback type is @Sendable.
    private var lastShown = -1
    private var lastPhase = ""
    let label: String

    init(label: String) { self.label = label }

    func update(_ phase: String, _ done: Int, _ total: Int) {
        guard Terminal.isInteractive, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != lastShown || phase != lastPhase else { return }
        lastShown = percent; lastPhase = phase
        let width = 30, filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(phase) ▕\(bar)▏ \(percent)% \(done)/\(total)\u{1B}[K".utf8))
    }

    func finish() {
        guard Terminal.isInteractive, lastShown >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
