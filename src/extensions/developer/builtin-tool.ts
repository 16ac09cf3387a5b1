// How a built-in tool is declared: one zod schema validates the model's arguments and is also the
// JSON Schema the model sees, so the two cannot drift apart.
import { z } from 'zod';
import { errorResult, type ToolCallContext, type ToolDefinition, type ToolResult, type JsonSchemaObject } from '../tool.js';

/** A mistake in the model's request (bad path, no match, ...): its message is shown to the model. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

export interface BuiltinTool {
  definition: ToolDefinition;
  /** Never throws: invalid arguments and failures become `{isError: true}` results. */
  run(args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult>;
}

export function defineTool<Input extends z.ZodObject>(tool: {
  name: string;
  description: string;
  input: Input;
  readOnly: boolean;
  run(input: z.output<Input>, context: ToolCallContext): Promise<ToolResult>;
}): BuiltinTool {
  return {
    definition: {
      name: tool.name,
      description: tool.description,
      inputSchema: toJsonSchema(tool.input),
      readOnly: tool.readOnly,
    },
    async run(args, context) {
      const parsed = tool.input.safeParse(args);
      if (!parsed.success) {
        return errorResult(`Invalid arguments for ${tool.name}:\n${z.prettifyError(parsed.error)}`);
      }
      try {
        return await tool.run(parsed.data, context);
      } catch (error) {
        return errorResult(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

function toJsonSchema(input: z.ZodObject): JsonSchemaObject {
  const schema = z.toJSONSchema(input, {
    io: 'input',
    // `.int()` adds ±2^53 bounds: noise for the model, and some providers reject huge numbers.
    override: ({ jsonSchema }) => {
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
  delete schema.$schema;
  return schema as JsonSchemaObject;
}
