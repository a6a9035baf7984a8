import Foundation
import Model
import Yams

/// Reading pipeline files: YAML, snake_case keys, every key required and none unknown.
extension PipelineDefinition {
    /// Parses and checks a pipeline file.
    ///
    /// - Parameter path: the `.yml` file.
    /// - Returns: the definition, its paths as written (relative to the file).
    /// - Throws: `PipelineError` naming the file, and the key at fault.
    public static func load(path: String) throws -> PipelineDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PipelineError.unreadable(path: path, reason: "cannot read the file")
        }
        return try parse(text, path: path)
    }

    /// Parses and checks pipeline YAML; `path` only names the source in errors.
    ///
    /// - Parameters:
    ///   - text: the YAML.
    ///   - path: the file the text came from, for error messages only.
    /// - Returns: the definition, its paths as written.
    /// - Throws: `PipelineError`: `.unreadable` for empty or invalid YAML, or a document that is not a mapping;
    ///   `.unknownKey`; `.invalidValue` naming a key that is missing, of the wrong type or out of range, or a section
    ///   that is not a mapping.
    public static func parse(_ text: String, path: String) throws -> PipelineDefinition {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw PipelineError.unreadable(path: path, reason: "the file is empty")
            }
            node = composed
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.unreadable(path: path, reason: "not valid YAML (\(error))")
        }
        try rejectUnknownKeys(node, section: "", path: path)
        let definition: PipelineDefinition
        do {
            definition = try YAMLDecoder().decode(
                PipelineDefinition.self, from: try Yams.serialize(node: camelCased(node)))
        } catch let DecodingError.keyNotFound(key, context) {
            throw PipelineError.invalidValue(path: path, key: dotted(context.codingPath + [key]), reason: "is missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw PipelineError.invalidValue(
                path: path, key: dotted(context.codingPath), reason: "must be \(typeName(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw PipelineError.invalidValue(
                path: path, key: dotted(context.codingPath), reason: "must be \(typeName(type))")
        } catch let DecodingError.dataCorrupted(context) {
            throw PipelineError.invalidValue(
                path: path, key: dotted(context.codingPath), reason: context.debugDescription)
        } catch {
            throw PipelineError.unreadable(path: path, reason: "\(error)")
        }
        try definition.validate(path: path)
        return definition
    }

    private static func rejectUnknownKeys(_ node: Node, section: String, path: String) throws {
        guard let mapping = node.mapping else {
            if section.isEmpty { throw PipelineError.unreadable(path: path, reason: "expected a mapping of sections") }
            return
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            let qualified = section.isEmpty ? key : "\(section).\(key)"
            guard knownKeys[section]?.contains(key) == true else {
                throw PipelineError.unknownKey(path: path, key: qualified)
            }
            if section.isEmpty, knownKeys[key] != nil {
                guard value.mapping != nil else {
                    throw PipelineError.invalidValue(path: path, key: key, reason: "must be a mapping of settings")
                }
                try rejectUnknownKeys(value, section: key, path: path)
            }
        }
    }

    /// `node` with every setting's key spelt as its coding key; the keys of label mappings
    /// (`fusion.voice_to_face`) are labels and stay as written.
    private static func camelCased(_ node: Node, at path: String = "") -> Node {
        guard let mapping = node.mapping, !labelMappings.contains(path) else { return node }
        let pairs = mapping.map { key, value in
            let name = key.string ?? ""
            return (
                key.string.map { Node(camelCase($0)) } ?? key,
                camelCased(value, at: path.isEmpty ? name : "\(path).\(name)")
            )
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style))
    }

    /// A coding path as the file spells it: `sampling.max_frames`.
    private static func dotted(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }.joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is String.Type: return "text"
        default: return "a \(type)"
        }
    }
}
