// The files the commands write (heatmaps, plan reports, edited plans, PMTiles). One way to do it:
// the folder is checked before the work starts (a PMTiles export would otherwise compute every
// tile first), the file is written whole, and a failure names the path and the system's reason
// ("No such file or directory", "Permission denied"), not Foundation's error dump.
import Foundation
import GridwallCore

enum OutputFile {
    /// Throws unless `path`'s folder exists and may be written to.
    static func checkWritable(_ path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(folder, W_OK) == 0 else {
            throw GridwallError(.io, "the folder \(folder) cannot be written to: \(String(cString: strerror(errno)))", at: path)
        }
    }

    /// Writes `bytes` to `path` whole (a temporary file renamed into place).
    static func write(_ bytes: some Sequence<UInt8>, to path: String) throws {
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw GridwallError(.io, "cannot write the file: \(reason(error))", at: path)
        }
    }

    /// The system's words for a file error, when Foundation carries them.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : ns.userInfo[NSUnderlyingErrorKey] as? NSError
        if let posix, posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        return ns.localizedDescription
    }
}
