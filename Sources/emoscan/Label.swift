import ArgumentParser
import Foundation
import Pipeline
import Store
import SwiftCSV

/// `emoscan label`: corrections by a person, kept beside the results.
struct Label: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the emotion a person says a file shows: corrections for training and evaluation.",
        discussion: """
            The label is kept in the store beside the file's result (a later label for the same file \
            replaces it). 'emoscan train voice --include-labels' trains on labelled files too, and \
            'emoscan evaluate --labelled' scores the store's results against the labels.

            Emotions: \(Label.emotions.joined(separator: ", ")).

            A corrections file is CSV with a header and the columns file,emotion (more columns are \
            ignored): what a spreadsheet of reviewed results exports.

            Examples:
              emoscan label interviews/07.mp4 sad
              emoscan label --csv reviewed.csv
            """
    )

    /// Every emotion a face or voice model of emoscan's pipelines can say.
    static let emotions = PipelineLibrary.emotionLabels()

    @Argument(help: ArgumentHelp("The file and the emotion it shows.", valueName: "file emotion"))
    var fileAndEmotion: [String] = []

    @Option(help: ArgumentHelp("A CSV of corrections with columns file,emotion.", valueName: "file"))
    var csv: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if csv == nil, fileAndEmotion.count != 2 { throw ValidationError("give a file and an emotion, or --csv FILE") }
        if csv != nil, !fileAndEmotion.isEmpty {
            throw ValidationError("give either a file and an emotion, or --csv FILE")
        }
    }

    func run() async throws {
        var labels: [HumanLabel] = []
        if let csv {
            let table: CSV<Named>
            do {
                table = try CSV<Named>(url: URL(fileURLWithPath: csv), delimiter: .comma, encoding: .utf8)
            } catch {
                Console.error("\(csv): \(error)")
                throw ExitCode(Emoscan.usageErrorCode)
            }
            guard table.header.contains("file"), table.header.contains("emotion") else {
                Console.error(
                    "\(csv): needs the columns file and emotion (found: \(table.header.joined(separator: ",")))")
                throw ExitCode(Emoscan.usageErrorCode)
            }
            let source = URL(fileURLWithPath: csv).standardizedFileURL.path
            labels = try table.rows.enumerated().map { line, row in
                try Self.label(
                    file: row["file"] ?? "", emotion: row["emotion"] ?? "", source: source, where: "\(csv):\(line + 2)")
            }
        } else {
            labels = [try Self.label(file: fileAndEmotion[0], emotion: fileAndEmotion[1], source: "cli", where: "")]
        }
        let store = try await storeOptions.open()
        try await Console.storeCall { for label in labels { try await store.database.setLabel(label) } }
        Console.print("labelled \(labels.count) file\(labels.count == 1 ? "" : "s")")
    }

    private static func label(
        file: String, emotion: String, source: String, where location: String
    ) throws -> HumanLabel {
        let emotion = emotion.trimmingCharacters(in: .whitespaces).lowercased()
        guard emotions.contains(emotion) else {
            Console.error(
                "\(location.isEmpty ? "" : location + ": ")unknown emotion '\(emotion)' (one of: \(emotions.joined(separator: ", ")))"
            )
            throw ExitCode(Emoscan.usageErrorCode)
        }
        guard !file.isEmpty else {
            Console.error("\(location): no file")
            throw ExitCode(Emoscan.usageErrorCode)
        }
        return HumanLabel(file: URL(fileURLWithPath: file).standardizedFileURL.path, emotion: emotion, source: source)
    }
}
