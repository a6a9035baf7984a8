/// `GET /openapi.yaml`: this API described in OpenAPI 3.1, written by hand next to the routes and
/// held to them by `Scripts/check-api` (schemathesis against a live server) and the server tests.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.1.0
        info:
          title: emoscan
          version: "1"
          summary: Upload a recording (or name one by path), poll for the emotion people in it show.
          description: >-
            `emoscan serve`: a request queues a recording in the results store; the server's own
            workers (and any `emoscan run` on the same store) analyse it, and the answer is read back
            from the store. Every error is an RFC 9457 problem document (`application/problem+json`)
            whose `detail` says what to do about it; every response carries an `X-Request-Id` header,
            the id of the request's line in the server's log. Started with `--token-file`, every
            request but `/health`, `/ready` and `/openapi.yaml` needs `Authorization: Bearer <token>`;
            without one the server listens on loopback only and asks for no token. Started with
            `--cors ORIGIN`, it answers browsers' preflight `OPTIONS` requests for that origin.
        servers:
          - url: /
        security:
          - bearerAuth: []
        tags:
          - name: analyses
            description: Ask for an analysis, follow it, list them, cancel one.
          - name: results
            description: The store's results, as `emoscan results` gives them, and corrections.
          - name: catalog
            description: The pipelines and models this server analyses with.
          - name: operations
            description: Liveness, readiness, metrics and this document.
          - name: seeds
            description: >-
              The request and answer shapes of the services emoscan grew from, so that their clients
              work unchanged: thin aliases over `POST /v1/analyses`, which wait for the result
              (`wait`, 120 s when not given) and link to the full document. Their analysis ids are
              strings.
        paths:
          /v1/analyses:
            post:
              tags: [analyses]
              operationId: createAnalysis
              summary: Analyse a recording (an upload, or a file on the server by path).
              description: >-
                A `application/json` body names a file on the server by `path` (which must lie under
                a folder given with `--allow-root`, once symlinks are resolved); any other body is the
                recording: raw (`curl -T clip.mp4`, any media type), or a `multipart/form-data` form
                whose `file` part is the recording. Options come from the query string, else from the
                form's fields or the JSON body's members. The same content with the same pipeline is
                queued once: asking again answers the earlier job. Answers 200 with the result when
                the analysis is finished (at once, or within `wait` seconds), else 202; `Location`
                names the analysis either way.
              parameters: &analysisParameters
                - $ref: "#/components/parameters/wait"
                - $ref: "#/components/parameters/pipeline"
                - $ref: "#/components/parameters/max_frames"
                - $ref: "#/components/parameters/face"
                - $ref: "#/components/parameters/voice"
                - $ref: "#/components/parameters/priority"
                - $ref: "#/components/parameters/analyze_audio"
                - $ref: "#/components/parameters/analyze_video"
                - $ref: "#/components/parameters/filename"
              requestBody:
                $ref: "#/components/requestBodies/AnalysisRequest"
              responses: &analysisResponses
                "200":
                  $ref: "#/components/responses/AnalysisFinished"
                "202":
                  $ref: "#/components/responses/AnalysisPending"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "403":
                  $ref: "#/components/responses/Forbidden"
                "404":
                  $ref: "#/components/responses/NotFound"
                "408":
                  $ref: "#/components/responses/RequestTimeout"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/ContentTooLarge"
                "415":
                  $ref: "#/components/responses/UnsupportedMediaType"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
                "507":
                  $ref: "#/components/responses/InsufficientStorage"
            put:
              tags: [analyses]
              operationId: uploadAnalysis
              summary: The same as POST, for `curl -T clip.mp4 …/v1/analyses`, which uploads with PUT.
              parameters: *analysisParameters
              requestBody:
                $ref: "#/components/requestBodies/AnalysisRequest"
              responses: *analysisResponses
            get:
              tags: [analyses]
              operationId: listAnalyses
              summary: The analyses, oldest first, a page at a time.
              description: >-
                Each item is an analysis without its `result` (and, as this version builds the list,
                without its `summary`). When a page is full, `next` links the following one.
              parameters:
                - name: state
                  in: query
                  description: Only analyses in this state.
                  schema:
                    $ref: "#/components/schemas/JobState"
                - name: since
                  in: query
                  description: Only analyses queued at or after this time, in RFC 3339 (2026-12-07T09:00:00Z, 2026-12-07T09:00:00.5+01:00; upper-case T and Z, offsets up to 18 hours).
                  schema:
                    type: string
                    format: date-time
                - name: emotion
                  in: query
                  description: Only analyses whose file's latest result has this fused emotion (compared in lower case).
                  schema:
                    type: string
                - name: limit
                  in: query
                  description: Analyses per page.
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 1000
                    default: 100
                - name: cursor
                  in: query
                  description: The page after this analysis id, as a `next` link gives it.
                  schema:
                    type: integer
                    format: int64
                    minimum: -9223372036854775808
                    maximum: 9223372036854775807
              responses:
                "200":
                  description: A page of analyses.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/AnalysisPage"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/analyses/{id}:
            parameters:
              - $ref: "#/components/parameters/id"
            get:
              tags: [analyses]
              operationId: getAnalysis
              summary: One analysis, with its result document once it is finished.
              responses:
                "200":
                  description: The analysis.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Analysis"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "404":
                  $ref: "#/components/responses/NotFound"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
            delete:
              tags: [analyses]
              operationId: cancelAnalysis
              summary: Cancels a queued analysis; one a worker holds, or one finished, is refused with 409.
              responses:
                "204":
                  description: The analysis was queued, and is now gone.
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/results:
            get:
              tags: [results]
              operationId: listResults
              summary: Each file's latest result as a summary row (`summary.csv`'s columns), a page at a time.
              parameters:
                - $ref: "#/components/parameters/since"
                - name: limit
                  in: query
                  description: Rows per page.
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 1000
                    default: 100
                - name: offset
                  in: query
                  description: Rows to skip.
                  schema:
                    type: integer
                    format: int64
                    minimum: 0
                    maximum: 9223372036854775807
                    default: 0
              responses:
                "200":
                  description: A page of summary rows.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ResultPage"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/results/{id}:
            parameters:
              - $ref: "#/components/parameters/id"
            get:
              tags: [results]
              operationId: getResult
              summary: The result document of analysis `id`, or with `format=csv` its summary row under the header.
              description: >-
                404 while the analysis is not finished, when it failed without a document, or when a
                later analysis of the same file with another pipeline replaced its result.
              parameters:
                - name: format
                  in: query
                  schema:
                    type: string
                    enum: [json, csv]
                    default: json
              responses:
                "200":
                  description: The result document (JSON), or the summary row with its header (CSV).
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ResultDocument"
                    text/csv:
                      schema:
                        type: string
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "404":
                  $ref: "#/components/responses/NotFound"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/results/{id}/report:
            parameters:
              - $ref: "#/components/parameters/id"
            get:
              tags: [results]
              operationId: getResultReport
              summary: The report of analysis `id` (`emoscan report`), one self-contained HTML page.
              description: >-
                The answer, the emotions over time as an SVG chart, their spread, the warnings, the
                file's facts and the models. 404 until the analysis has a result document.
              responses:
                "200":
                  description: The page.
                  content:
                    text/html:
                      schema:
                        type: string
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "404":
                  $ref: "#/components/responses/NotFound"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/report:
            get:
              tags: [results]
              operationId: getBatchReport
              summary: The batch report (`emoscan report --batch`), one HTML page whose rows link to each analysis's report.
              parameters:
                - $ref: "#/components/parameters/since"
                - name: status
                  in: query
                  schema:
                    type: string
                    enum: [ok, failed]
              responses:
                "200":
                  description: The page.
                  content:
                    text/html:
                      schema:
                        type: string
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/results.csv:
            get:
              tags: [results]
              operationId: exportResultsCSV
              summary: Every file's latest result as `summary.csv` (`emoscan results export --format csv`), streamed.
              parameters:
                - $ref: "#/components/parameters/since"
              responses:
                "200":
                  description: The header line, then one line per file.
                  content:
                    text/csv:
                      schema:
                        type: string
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/results.jsonl:
            get:
              tags: [results]
              operationId: exportResultsJSONL
              summary: Every file's latest result document, one a line (`emoscan results export --format jsonl`), streamed.
              parameters:
                - $ref: "#/components/parameters/since"
              responses:
                "200":
                  description: One result document (compact JSON) per line.
                  content:
                    application/jsonl:
                      schema:
                        type: string
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/labels:
            post:
              tags: [results]
              operationId: createLabel
              summary: Records a person's label for a file (`emoscan label`), by `analysis_id` or absolute `file` path.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/LabelRequest"
              responses:
                "201":
                  description: The label, as recorded.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Label"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "404":
                  $ref: "#/components/responses/NotFound"
                "413":
                  $ref: "#/components/responses/ContentTooLarge"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
          /v1/models:
            get:
              tags: [catalog]
              operationId: listModels
              summary: Every model of every pipeline, with its source, digest, labels, licence and measured accuracy.
              responses:
                "200":
                  description: The models, pipeline by pipeline.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [models]
                        properties:
                          models:
                            type: array
                            items:
                              $ref: "#/components/schemas/Model"
                "401":
                  $ref: "#/components/responses/Unauthorized"
          /v1/pipelines:
            get:
              tags: [catalog]
              operationId: listPipelines
              summary: The pipelines of `Pipelines/`, each loaded or with the reason it does not load.
              responses:
                "200":
                  description: The pipelines, by name.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [pipelines]
                        properties:
                          pipelines:
                            type: array
                            items:
                              $ref: "#/components/schemas/Pipeline"
                "401":
                  $ref: "#/components/responses/Unauthorized"
          /health:
            get:
              tags: [operations]
              operationId: health
              summary: Liveness, the process answers. Needs no token.
              security: []
              responses:
                "200":
                  description: Alive.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status:
                            type: string
                            const: ok
          /ready:
            get:
              tags: [operations]
              operationId: ready
              summary: Readiness, the store answers (the default pipeline's models loaded before the server listened). Needs no token.
              security: []
              responses:
                "200":
                  description: Ready, with the queue's depth.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status, store, queued, running]
                        properties:
                          status:
                            type: string
                            const: ready
                          store:
                            type: string
                            description: The store's location (a folder, or a PostgreSQL address without its password).
                          queued:
                            type: integer
                            minimum: 0
                          running:
                            type: integer
                            minimum: 0
                "503":
                  description: The results store does not answer (the models load before the server listens).
                  headers:
                    Retry-After:
                      description: Seconds after which to ask again.
                      required: true
                      schema:
                        type: integer
                  content:
                    application/problem+json:
                      schema:
                        $ref: "#/components/schemas/Problem"
          /metrics:
            get:
              tags: [operations]
              operationId: metrics
              summary: Prometheus text, requests, upload bytes, files analysed and failed, stage durations, jobs by state, queue depth.
              responses:
                "200":
                  description: The exposition, in Prometheus's text format 0.0.4.
                  content:
                    text/plain:
                      schema:
                        type: string
                "401":
                  $ref: "#/components/responses/Unauthorized"
          /openapi.yaml:
            get:
              tags: [operations]
              operationId: openapi
              summary: This document. Needs no token.
              security: []
              responses:
                "200":
                  description: The OpenAPI 3.1 document of this API.
                  content:
                    application/yaml:
                      schema:
                        type: object
                        required: [openapi, info, paths]
                        properties:
                          openapi:
                            type: string
                            pattern: "^3[.]1[.]"
          /api/analyze:
            post:
              tags: [seeds]
              operationId: seedAnalyze
              summary: "Seed 003: a recording's audio and video emotion."
              description: >-
                The recording is the form's `file` part (or a raw body); `analyze_audio` and
                `analyze_video` turn a branch off, `max_frames` sets the frames sampled. Every
                option of `POST /v1/analyses` is read too, from the query or the form.
              parameters:
                - $ref: "#/components/parameters/wait_seed"
                - $ref: "#/components/parameters/pipeline"
                - $ref: "#/components/parameters/max_frames"
                - $ref: "#/components/parameters/face"
                - $ref: "#/components/parameters/voice"
                - $ref: "#/components/parameters/priority"
                - $ref: "#/components/parameters/analyze_audio"
                - $ref: "#/components/parameters/analyze_video"
                - $ref: "#/components/parameters/filename"
              requestBody:
                $ref: "#/components/requestBodies/Upload"
              responses:
                "200":
                  description: The analysis finished (`status` success or error).
                  headers:
                    Location:
                      $ref: "#/components/headers/Location"
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/SeedAnalyzeAnswer"
                "202":
                  description: The analysis is not finished yet (`status` pending); follow `links.analysis`.
                  headers:
                    Location:
                      $ref: "#/components/headers/Location"
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/SeedAnalyzeAnswer"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "408":
                  $ref: "#/components/responses/RequestTimeout"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/ContentTooLarge"
                "415":
                  $ref: "#/components/responses/UnsupportedMediaType"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
                "507":
                  $ref: "#/components/responses/InsufficientStorage"
          /detect-human-emotion:
            post:
              tags: [seeds]
              operationId: seedDetectHumanEmotion
              summary: "Seed 000: an image's face and an audio's voice, each analysed alone, fused as one file's would be."
              parameters:
                - $ref: "#/components/parameters/wait_seed"
                - $ref: "#/components/parameters/pipeline"
                - $ref: "#/components/parameters/max_frames"
                - $ref: "#/components/parameters/priority"
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema:
                      type: object
                      required: [image, audio]
                      properties:
                        image:
                          type: string
                          format: binary
                          minLength: 1
                          description: A picture (or video) of a face; analysed with the voice branch off.
                        audio:
                          type: string
                          format: binary
                          minLength: 1
                          description: A recording of a voice; analysed with the face branch off.
                        pipeline:
                          type: string
                          pattern: "^[A-Za-z0-9_-]+$"
                        max_frames:
                          type: integer
                          minimum: 1
                          maximum: 10000
                        priority:
                          type: integer
                          format: int64
                          minimum: -9223372036854775808
                          maximum: 9223372036854775807
                        wait:
                          type: number
                          minimum: 0
                    encoding:
                      image:
                        contentType: application/octet-stream
                      audio:
                        contentType: application/octet-stream
              responses:
                "200":
                  description: Both analyses finished (`status` success, whether they found an emotion or failed).
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/SeedDetectAnswer"
                "202":
                  description: One of them is not finished yet (`status` pending); follow `links`.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/SeedDetectAnswer"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "408":
                  $ref: "#/components/responses/RequestTimeout"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/ContentTooLarge"
                "415":
                  $ref: "#/components/responses/UnsupportedMediaType"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
                "507":
                  $ref: "#/components/responses/InsufficientStorage"
          /predict:
            post:
              tags: [seeds]
              operationId: seedPredict
              summary: "Seed 001: an audio file's voice emotion (the face branch off)."
              parameters:
                - $ref: "#/components/parameters/wait_seed"
                - $ref: "#/components/parameters/pipeline"
                - $ref: "#/components/parameters/max_frames"
                - $ref: "#/components/parameters/priority"
                - $ref: "#/components/parameters/filename"
              requestBody:
                $ref: "#/components/requestBodies/Upload"
              responses:
                "200":
                  description: The analysis finished (`status` success or error).
                  headers:
                    Location:
                      $ref: "#/components/headers/Location"
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/SeedPredictAnswer"
                "202":
                  description: The analysis is not finished yet (`status` pending); follow `links.analysis`.
                  headers:
                    Location:
                      $ref: "#/components/headers/Location"
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/SeedPredictAnswer"
                "400":
                  $ref: "#/components/responses/BadRequest"
                "401":
                  $ref: "#/components/responses/Unauthorized"
                "408":
                  $ref: "#/components/responses/RequestTimeout"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/ContentTooLarge"
                "415":
                  $ref: "#/components/responses/UnsupportedMediaType"
                "500":
                  $ref: "#/components/responses/InternalServerError"
                "503":
                  $ref: "#/components/responses/ServiceUnavailable"
                "507":
                  $ref: "#/components/responses/InsufficientStorage"
        components:
          securitySchemes:
            bearerAuth:
              type: http
              scheme: bearer
              description: A token of the server's `--token-file`. A server started without one asks for none.
          headers:
            Location:
              description: The analysis, `/v1/analyses/{id}`.
              required: true
              schema:
                type: string
            RetryAfter:
              description: Seconds after which to try again.
              schema:
                type: integer
            WWWAuthenticate:
              description: '`Bearer`, or `Bearer error="invalid_token"` for a token the server does not accept.'
              required: true
              schema:
                type: string
          parameters:
            id:
              name: id
              in: path
              required: true
              description: The analysis id, as `POST /v1/analyses` answered it.
              schema:
                type: integer
                format: int64
                minimum: -9223372036854775808
                maximum: 9223372036854775807
              example: 1
            since:
              name: since
              in: query
              description: Only results recorded in the store at or after this time, in RFC 3339 (2026-12-07T09:00:00Z, 2026-12-07T09:00:00.5+01:00; upper-case T and Z, offsets up to 18 hours).
              schema:
                type: string
                format: date-time
            wait:
              name: wait
              in: query
              description: Seconds to wait for the result before answering 202 (0, the default, answers at once); more than 300 waits 300.
              schema:
                type: number
                minimum: 0
                default: 0
            wait_seed:
              name: wait
              in: query
              description: Seconds to wait for the result before answering 202; 120 when not given; more than 300 waits 300.
              schema:
                type: number
                minimum: 0
                default: 120
            pipeline:
              name: pipeline
              in: query
              description: >-
                A pipeline name from `GET /v1/pipelines` (letters, digits, `-` and `_`; an unknown one is
                refused with 400); the server's `--pipeline` when not given.
              schema:
                type: string
                pattern: "^[A-Za-z0-9_-]+$"
              example: default
            max_frames:
              name: max_frames
              in: query
              description: Frames sampled per file, instead of the pipeline's own.
              schema:
                type: integer
                minimum: 1
                maximum: 10000
            face:
              name: face
              in: query
              description: Turns the face (video) branch on or off (also 1/0, yes/no, on/off); the pipeline's setting when not given.
              schema:
                type: boolean
            voice:
              name: voice
              in: query
              description: Turns the voice (audio) branch on or off (also 1/0, yes/no, on/off); turning both off is refused.
              schema:
                type: boolean
            analyze_video:
              name: analyze_video
              in: query
              description: Seed 003's name for `face`, read when `face` is not given.
              schema:
                type: boolean
            analyze_audio:
              name: analyze_audio
              in: query
              description: Seed 003's name for `voice`, read when `voice` is not given.
              schema:
                type: boolean
            priority:
              name: priority
              in: query
              description: The job's place in the queue; higher is taken first.
              schema:
                type: integer
                format: int64
                minimum: -9223372036854775808
                maximum: 9223372036854775807
                default: 0
            filename:
              name: filename
              in: query
              description: The client's name for a raw upload, used in messages only (else `Content-Disposition`'s).
              schema:
                type: string
          requestBodies:
            AnalysisRequest:
              required: true
              description: >-
                `application/json` names a file on the server; a `multipart/form-data` form carries the
                recording as its `file` part; any other media type is the recording's bytes.
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/PathRequest"
                multipart/form-data:
                  schema:
                    $ref: "#/components/schemas/UploadForm"
                  encoding:
                    file:
                      contentType: application/octet-stream
                application/octet-stream:
                  schema:
                    type: string
                    format: binary
                    minLength: 1
                "*/*":
                  schema:
                    type: string
                    format: binary
                    minLength: 1
            Upload:
              required: true
              description: A `multipart/form-data` form with the recording as its `file` part, or the recording's bytes.
              content:
                multipart/form-data:
                  schema:
                    $ref: "#/components/schemas/UploadForm"
                  encoding:
                    file:
                      contentType: application/octet-stream
                application/octet-stream:
                  schema:
                    type: string
                    format: binary
                    minLength: 1
                "*/*":
                  schema:
                    type: string
                    format: binary
                    minLength: 1
          responses:
            AnalysisFinished:
              description: The analysis is finished (done or failed), with its result document when it has one.
              headers:
                Location:
                  $ref: "#/components/headers/Location"
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Analysis"
              links:
                GetAnalysis:
                  operationId: getAnalysis
                  parameters:
                    id: $response.body#/id
                GetResult:
                  operationId: getResult
                  parameters:
                    id: $response.body#/id
            AnalysisPending:
              description: The analysis is queued or running; poll `Location` (with `?wait=`) for it.
              headers:
                Location:
                  $ref: "#/components/headers/Location"
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Analysis"
              links:
                GetAnalysis:
                  operationId: getAnalysis
                  parameters:
                    id: $response.body#/id
                CancelAnalysis:
                  operationId: cancelAnalysis
                  parameters:
                    id: $response.body#/id
            BadRequest:
              description: A parameter or body the server cannot use; `detail` says which and why.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            Unauthorized:
              description: No bearer token, or one not in the server's `--token-file`.
              headers:
                WWW-Authenticate:
                  $ref: "#/components/headers/WWWAuthenticate"
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            Forbidden:
              description: The path is not under a folder this server may read (`--allow-root`); upload the file instead.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            NotFound:
              description: No such analysis, file or result.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            RequestTimeout:
              description: The upload took longer than the server allows.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            Conflict:
              description: The analysis is not in a state that allows this (or was removed as it was queued); `detail` says what to do.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            ContentTooLarge:
              description: The upload is larger than `--max-upload`, or a JSON body or the form's fields larger than 64 KiB.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            UnsupportedMediaType:
              description: The file is not a recording FFmpeg can read.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            InternalServerError:
              description: An unexpected failure; `detail` gives its words.
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            ServiceUnavailable:
              description: The results store does not answer, or a pipeline's model is missing.
              headers:
                Retry-After:
                  $ref: "#/components/headers/RetryAfter"
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
            InsufficientStorage:
              description: The uploads folder cannot be written (a full disk, permissions).
              content:
                application/problem+json:
                  schema:
                    $ref: "#/components/schemas/Problem"
          schemas:
            Problem:
              type: object
              description: An RFC 9457 problem document.
              required: [type, title, status, detail, instance]
              properties:
                type:
                  type: string
                  const: about:blank
                title:
                  type: string
                  description: The status's reason phrase.
                status:
                  type: integer
                  minimum: 400
                  maximum: 599
                detail:
                  type: string
                  description: What went wrong and what to do about it, for a person.
                instance:
                  type: string
                  description: The request's path.
            JobState:
              type: string
              enum: [queued, running, done, failed]
            AnalysisOptions:
              type: object
              description: A request's options, as query parameters, form fields or JSON members (the query string's win).
              properties:
                pipeline:
                  type: string
                  pattern: "^[A-Za-z0-9_-]+$"
                max_frames:
                  type: integer
                  minimum: 1
                  maximum: 10000
                face:
                  type: boolean
                voice:
                  type: boolean
                analyze_video:
                  type: boolean
                analyze_audio:
                  type: boolean
                priority:
                  type: integer
                  format: int64
                  minimum: -9223372036854775808
                  maximum: 9223372036854775807
                wait:
                  type: number
                  minimum: 0
            PathRequest:
              type: object
              allOf:
                - $ref: "#/components/schemas/AnalysisOptions"
              description: >-
                A file on the server, by absolute path, and the options (each also read as text,
                and from the query string first).
              required: [path]
              examples:
                - path: /data/interviews/07.mp4
                - path: /data/interviews/07.mp4
                  pipeline: ferplus
                  voice: false
              properties:
                path:
                  type: string
                  description: >-
                    An absolute path (a relative one is refused with 400) under a folder given with
                    `--allow-root` (else 403).
            UploadForm:
              type: object
              allOf:
                - $ref: "#/components/schemas/AnalysisOptions"
              description: The recording as the `file` part, and the options as fields (the query string's win).
              required: [file]
              properties:
                file:
                  type: string
                  format: binary
                  minLength: 1
            Analysis:
              type: object
              description: >-
                A job as the API shows it: where it is, and once finished its summary and result
                document. Lists leave out `summary` and `result`.
              required: [id, state, file, sha256, size_bytes, pipeline, pipeline_hash, priority, attempts, links, queued_at]
              properties:
                id:
                  type: integer
                  format: int64
                state:
                  $ref: "#/components/schemas/JobState"
                file:
                  type: string
                  description: The file analysed (an upload is kept under its content's SHA-256).
                sha256:
                  type: string
                  pattern: "^[0-9a-f]{64}$"
                size_bytes:
                  type: integer
                  format: int64
                  minimum: 0
                pipeline:
                  type: string
                  description: The pipeline's name, or the path of the variant a request's options made of it.
                pipeline_hash:
                  type: string
                priority:
                  type: integer
                  format: int64
                attempts:
                  type: integer
                  minimum: 0
                  description: Claims by a worker so far.
                worker:
                  type: string
                  description: The worker holding it (`host:pid:nonce`), while it runs.
                error:
                  type: string
                  description: Why it failed.
                queued_at:
                  type: string
                  format: date-time
                finished_at:
                  type: string
                  format: date-time
                links:
                  type: object
                  required: [self, result]
                  properties:
                    self:
                      type: string
                    result:
                      type: string
                summary:
                  $ref: "#/components/schemas/AnalysisSummary"
                result:
                  $ref: "#/components/schemas/ResultDocument"
            AnalysisSummary:
              type: object
              description: The result's summary fields; present once the analysis has a result document.
              required: [status]
              properties:
                status:
                  type: string
                  enum: [ok, failed]
                error:
                  type: string
                fused_emotion:
                  type: string
                fused_confidence:
                  type: number
                face_emotion:
                  type: string
                face_confidence:
                  type: number
                voice_emotion:
                  type: string
                voice_confidence:
                  type: number
            AnalysisPage:
              type: object
              required: [analyses]
              properties:
                analyses:
                  type: array
                  items:
                    $ref: "#/components/schemas/Analysis"
                next:
                  type: string
                  description: The following page (`/v1/analyses?…&cursor=…`), when this one is full.
            ResultRow:
              type: object
              description: A file's latest result as `summary.csv`'s columns (but `result`), numbers as numbers, empty ones left out.
              required: [file, status]
              properties:
                file:
                  type: string
                status:
                  type: string
                  enum: [ok, failed]
                error:
                  type: string
                duration_s:
                  type: number
                frames_sampled:
                  type: number
                frames_with_face:
                  type: number
                frames_accepted:
                  type: number
                face_emotion:
                  type: string
                face_confidence:
                  type: number
                pipeline:
                  type: string
                pipeline_hash:
                  type: string
                analyzed_at:
                  type: string
                voice_emotion:
                  type: string
                voice_confidence:
                  type: number
                fused_emotion:
                  type: string
                fused_confidence:
                  type: number
                fusion_method:
                  type: string
                  enum: [weighted, face_only, voice_only, none]
                language:
                  type: string
                language_confidence:
                  type: number
            ResultPage:
              type: object
              required: [results, total]
              properties:
                results:
                  type: array
                  items:
                    $ref: "#/components/schemas/ResultRow"
                total:
                  type: integer
                  minimum: 0
                  description: Rows in all (since `since`).
                next_offset:
                  type: integer
                  minimum: 0
                  description: The `offset` of the following page, when there is one.
            EmotionAnswer:
              type: object
              description: A modality's answer; either is absent when it found none.
              properties:
                emotion:
                  type: string
                confidence:
                  type: number
            Probabilities:
              type: object
              additionalProperties:
                type: number
            ResultDocument:
              type: object
              description: >-
                The result document (`schema: emoscan.result/2`), as the store keeps it; see the
                README's Results section for every field. Fields are only ever added within a schema
                version.
              required: [schema, status, file, pipeline, models, frames, voice, aggregate, timings, warnings, analyzed_at]
              properties:
                schema:
                  type: string
                  examples: [emoscan.result/2]
                status:
                  type: string
                  enum: [ok, failed]
                error:
                  type: string
                file:
                  type: object
                  required: [path, streams]
                  properties:
                    path:
                      type: string
                    size_bytes:
                      type: integer
                    sha256:
                      type: string
                    container:
                      type: string
                    duration_seconds:
                      type: number
                    content_seconds:
                      type: number
                    streams:
                      type: array
                      items:
                        type: object
                        required: [index, kind, codec]
                        properties:
                          index:
                            type: integer
                          kind:
                            type: string
                          codec:
                            type: string
                          duration_seconds:
                            type: number
                    video:
                      type: object
                    audio:
                      type: object
                pipeline:
                  type: object
                  required: [name, hash, settings]
                  properties:
                    name:
                      type: string
                    hash:
                      type: string
                    settings:
                      type: object
                models:
                  type: array
                  items:
                    type: object
                    required: [role, name, source, sha256, labels]
                    properties:
                      role:
                        type: string
                      name:
                        type: string
                      source:
                        type: string
                      sha256:
                        type: string
                      labels:
                        type: array
                        items:
                          type: string
                frames:
                  type: array
                  items:
                    type: object
                voice:
                  type: object
                  required: [status, segments]
                  properties:
                    status:
                      type: string
                      enum: [speech, silent, no_speech, too_short, no_audio, disabled, failed]
                    error:
                      type: string
                    segments:
                      type: array
                      items:
                        type: object
                aggregate:
                  type: object
                  required: [fused]
                  properties:
                    face:
                      type: object
                      required: [counts, frames_sampled, frames_with_face, frames_accepted, faces_accepted, method]
                      properties:
                        emotion:
                          type: string
                        confidence:
                          type: number
                        probs:
                          $ref: "#/components/schemas/Probabilities"
                        counts:
                          type: object
                          additionalProperties:
                            type: integer
                        frames_sampled:
                          type: integer
                        frames_with_face:
                          type: integer
                        frames_accepted:
                          type: integer
                        faces_accepted:
                          type: integer
                        method:
                          type: string
                    voice:
                      type: object
                      required: [counts, labels, segments_speech, speech_seconds, method]
                      properties:
                        emotion:
                          type: string
                        confidence:
                          type: number
                        probs:
                          $ref: "#/components/schemas/Probabilities"
                        counts:
                          type: object
                          additionalProperties:
                            type: integer
                        labels:
                          type: array
                          items:
                            type: string
                        segments_speech:
                          type: integer
                        speech_seconds:
                          type: number
                        method:
                          type: string
                    fused:
                      type: object
                      required: [method, face_weight, voice_weight]
                      properties:
                        emotion:
                          type: string
                        confidence:
                          type: number
                        probs:
                          $ref: "#/components/schemas/Probabilities"
                        method:
                          type: string
                          enum: [weighted, face_only, voice_only, none]
                        face_weight:
                          type: number
                        voice_weight:
                          type: number
                        note:
                          type: string
                    language:
                      type: object
                      required: [code, confidence, speech_seconds]
                      properties:
                        code:
                          type: string
                        confidence:
                          type: number
                        speech_seconds:
                          type: number
                        no_speech:
                          type: number
                sampling:
                  type: object
                timings:
                  type: object
                  required: [decode_seconds, vision_seconds, voice_seconds, total_seconds]
                  properties:
                    decode_seconds:
                      type: number
                    vision_seconds:
                      type: number
                    voice_seconds:
                      type: number
                    total_seconds:
                      type: number
                warnings:
                  type: array
                  items:
                    type: string
                analyzed_at:
                  type: string
                  format: date-time
            LabelRequest:
              type: object
              description: >-
                The file, by absolute path (`file`) or by an analysis (`analysis_id`, used when `file`
                is absent or not absolute), and the emotion a person gives it.
              required: [emotion]
              examples:
                - analysis_id: 1
                  emotion: happy
                - file: /data/interviews/07.mp4
                  emotion: sad
              properties:
                file:
                  type: string
                  description: An absolute path (it need not exist on the server).
                analysis_id:
                  type: integer
                  format: int64
                  minimum: -9223372036854775808
                  maximum: 9223372036854775807
                emotion:
                  type: string
                  description: One of the labels of the pipelines' face and voice models (case-insensitive).
              anyOf:
                - required: [file]
                - required: [analysis_id]
            Label:
              type: object
              required: [file, emotion, source]
              properties:
                file:
                  type: string
                emotion:
                  type: string
                source:
                  type: string
                  const: api
            Model:
              type: object
              required: [pipeline, role, name, source, sha256, labels, card]
              properties:
                pipeline:
                  type: string
                role:
                  type: string
                  description: face_detector, face_emotion, voice_emotion, speech_encoder.
                name:
                  type: string
                source:
                  type: string
                sha256:
                  type: string
                labels:
                  type: array
                  items:
                    type: string
                card:
                  type: string
                  description: The model card's path, relative to emoscan's home.
                licence:
                  type: string
                evaluation:
                  type: string
                  description: The card's section on accuracy, as written (emoscan's own models).
            Pipeline:
              type: object
              description: A pipeline; `error` instead of its settings when it does not load (a model not fetched).
              required: [name]
              properties:
                name:
                  type: string
                description:
                  type: string
                hash:
                  type: string
                modalities:
                  type: object
                  required: [face, voice]
                  properties:
                    face:
                      type: boolean
                    voice:
                      type: boolean
                max_frames:
                  type: integer
                models:
                  type: array
                  items:
                    type: string
                  description: "`role: name` of each model."
                error:
                  type: string
            SeedLinks:
              type: object
              required: [analysis, result]
              properties:
                analysis:
                  type: string
                result:
                  type: string
            SeedAnalyzeAnswer:
              type: object
              required: [status, analysis_id, links]
              properties:
                status:
                  type: string
                  enum: [success, error, pending]
                analysis_id:
                  type: string
                  description: The analysis id, as text.
                links:
                  $ref: "#/components/schemas/SeedLinks"
                results:
                  type: object
                  properties:
                    audio_emotion:
                      $ref: "#/components/schemas/EmotionAnswer"
                    video_emotion:
                      type: object
                      required: [frame_count, processed_frames]
                      properties:
                        frame_count:
                          type: integer
                        processed_frames:
                          type: integer
                        dominant_emotion:
                          type: string
                        emotion_scores:
                          $ref: "#/components/schemas/Probabilities"
                processing_time:
                  type: number
                  description: Seconds the analysis took.
                error:
                  type: string
            SeedDetectAnswer:
              type: object
              required: [status, analysis_ids, links]
              properties:
                status:
                  type: string
                  enum: [success, pending, error]
                  description: error when either analysis failed (see `error`), pending while either is unfinished.
                error:
                  type: string
                  description: Why an analysis failed, part by part (`audio` then the reason).
                analysis_ids:
                  type: array
                  description: The image's analysis id and the audio's, as text.
                  items:
                    type: string
                  minItems: 2
                  maxItems: 2
                links:
                  type: object
                  required: [image, audio]
                  properties:
                    image:
                      $ref: "#/components/schemas/SeedLinks"
                    audio:
                      $ref: "#/components/schemas/SeedLinks"
                overall_emotion:
                  type: string
                combined_confidence:
                  type: number
                fusion:
                  type: string
                  description: The fusion's note, else its method.
                face_emotion:
                  $ref: "#/components/schemas/EmotionAnswer"
                voice_emotion:
                  $ref: "#/components/schemas/EmotionAnswer"
            SeedPredictAnswer:
              type: object
              required: [status, analysis_id, links, audio_file]
              properties:
                status:
                  type: string
                  enum: [success, error, pending]
                analysis_id:
                  type: string
                  description: The analysis id, as text.
                links:
                  $ref: "#/components/schemas/SeedLinks"
                audio_file:
                  type: string
                  description: The kept file's name (its content's SHA-256).
                error:
                  type: string
                  description: Why the analysis failed, when status is error.
                emotion:
                  type: string
                confidence:
                  type: number
                probabilities:
                  $ref: "#/components/schemas/Probabilities"
        """
}
