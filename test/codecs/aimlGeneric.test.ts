import { aimlAudio, aimlVideo, createClient } from '../../src/index.js';

// The AI/ML API's generic endpoints as its own docs print them: failure
// reasons in every documented shape, and the statuses its sample code polls for.
const decode = (job: unknown) => {
  const provider = aimlVideo({ apiKey: 'sk-test-0123456789' });
  const client = createClient(provider);
  const [result] = provider.decode(job, ['g1'], 'test', (found) => client.statuses.priority(client.statuses.statusOf(found)!));
  return result!;
};

describe('AI/ML API generic generations, as the vendor prints them', () => {
  it.each([
    ['its printed failure', { detail: [{ msg: 'Could not detect face in the image' }] }, 'Could not detect face in the image'],
    ['several details', { detail: [{ msg: 'too long' }, { msg: 'bad ratio' }] }, 'too long; bad ratio'],
    ['a message', { message: 'out of credits', name: 'BillingError' }, 'out of credits'],
    ['a name only', { name: 'ModerationError' }, 'ModerationError'],
    ['a string (the spec leaves error untyped)', 'the model crashed', 'the model crashed'],
    ['a detail string', { detail: 'prompt refused' }, 'prompt refused'],
    ['something else', { code: 7 }, '{"code":7}'],
    ['a number', 500, '500'],
  ])('reads the reason from %s', (_what, error, reason) => {
    const { job, error: decodeError } = decode({ id: 'g1', status: 'error', error });
    expect(decodeError).toBeUndefined();
    expect(aimlVideo({ apiKey: 'sk-test-0123456789' }).failureReason(job as never)).toBe(reason);
  });

  it('takes "waiting" and "active", which the sample code polls for, as queued and generating', () => {
    const client = createClient(aimlAudio({ apiKey: 'sk-test-0123456789' }));
    expect(client.statusOf({ id: 'g1', status: 'waiting' } as never)).toBe('queued');
    expect(client.statusOf({ id: 'g1', status: 'active' } as never)).toBe('generating');
    expect(decode({ id: 'g1', status: 'active' }).error).toBeUndefined();
  });
});
