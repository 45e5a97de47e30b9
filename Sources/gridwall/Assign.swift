import ArgumentParser
struct Assign: AsyncParsableCommand {
    func run() async throws {}
}
