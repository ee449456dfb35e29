import type { Argv, CommandModule } from "yargs";
import { startServer } from "../../serve/server.js";

interface ServeArgs {
  model: string;
  port: number;
  host: string;
  "api-key"?: string;
  name?: string;
  "prompt-logprobs": boolean;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: "serve",
  describe: "Serve a local GGUF model over OpenAI- and TGI-compatible HTTP (with prompt logprobs)",
  builder: (y: Argv) =>
    y
      .option("model", { type: "string", demandOption: true, describe: "Path to a .gguf model" })
      .option("port", { type: "number", default: 8080, describe: "Port (0 = any free port)" })
      .option("host", {
        type: "string",
        default: "127.0.0.1",
        describe: "Address to bind (loopback unless told)",
      })
      .option("api-key", { type: "string", describe: "Require this bearer key" })
      .option("name", { type: "string", describe: "Model name to report (default: the file name)" })
      .option("prompt-logprobs", {
        type: "boolean",
        default: true,
        describe:
          "Score given text (completions echo, vLLM prompt_logprobs, TGI decoder_input_details); --no-prompt-logprobs serves like llama.cpp or Ollama: generated-token logprobs only",
      })
      .example(
        "$0 serve --model canaries/demo/overfit.gguf --port 8080",
        "Then: memscan scan --target openai --base-url http://127.0.0.1:8080/v1 --model overfit",
      )
      .example(
        "$0 serve --model ft.gguf --api-key $KEY --host 0.0.0.0",
        "Expose beyond loopback, with a key",
      ) as Argv<ServeArgs>,
  handler: async (args) => {
    const server = await startServer({
      modelPath: args.model,
      host: args.host,
      port: args.port,
      ...(args["api-key"] ? { apiKey: args["api-key"] } : {}),
      ...(args.name ? { modelName: args.name } : {}),
      ...(args["prompt-logprobs"] === false ? { features: { promptLogprobs: false } } : {}),
    });
    process.stderr.write(
      `memscan serve: ${args.model} at ${server.url} (OpenAI: ${server.url}/v1, TGI: ${server.url}/generate). Ctrl-C stops.\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        void server.close().then(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  },
};
