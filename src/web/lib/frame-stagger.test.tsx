import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { manualScheduler } from '../test/fake-transport.ts';
import { FrameStagger, useStaggered } from './frame-stagger.ts';

describe('FrameStagger', () => {
  it('runs one queued job per frame, in the order they came', () => {
    const frames = manualScheduler();
    const stagger = new FrameStagger(frames.scheduler, () => false);
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c']) stagger.enqueue({}, () => ran.push(name));
    expect(frames.requests).toBe(1);
    frames.flush();
    expect(ran).toEqual(['a']);
    frames.flush();
    frames.flush();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(stagger.pending).toBe(0);
    expect(frames.requests).toBe(0);
  });

  it('keeps the newest job of a key, in the turn the key already had', () => {
    const frames = manualScheduler();
    const stagger = new FrameStagger(frames.scheduler, () => false);
    const first = {};
    const ran: string[] = [];
    stagger.enqueue(first, () => ran.push('first, old data'));
    stagger.enqueue({}, () => ran.push('second'));
    stagger.enqueue(first, () => ran.push('first, new data'));
    frames.flush();
    frames.flush();
    expect(ran).toEqual(['first, new data', 'second']);
  });

  it('forgets a job taken back before its frame', () => {
    const frames = manualScheduler();
    const stagger = new FrameStagger(frames.scheduler, () => false);
    const ran: string[] = [];
    const cancel = stagger.enqueue({}, () => ran.push('gone'));
    stagger.enqueue({}, () => ran.push('kept'));
    cancel();
    frames.flush();
    expect(ran).toEqual(['kept']);
  });

  it('runs everything at once in a hidden tab, which gets no animation frames', () => {
    const frames = manualScheduler();
    let hidden = true;
    const stagger = new FrameStagger(frames.scheduler, () => hidden);
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c']) stagger.enqueue({}, () => ran.push(name));
    frames.flush();
    expect(ran).toEqual(['a', 'b', 'c']);
    hidden = false;
    for (const name of ['d', 'e']) stagger.enqueue({}, () => ran.push(name));
    frames.flush();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('useStaggered', () => {
  function Plot({ name, value, stagger }: { name: string; value: number; stagger: FrameStagger }) {
    const shown = useStaggered(value, stagger);
    return <span data-testid={name}>{shown}</span>;
  }

  function Plots({ value, stagger }: { value: number; stagger: FrameStagger }) {
    return (
      <>
        <Plot name="one" value={value} stagger={stagger} />
        <Plot name="two" value={value} stagger={stagger} />
        <Plot name="three" value={value} stagger={stagger} />
      </>
    );
  }

  const shown = () => ['one', 'two', 'three'].map((name) => screen.getByTestId(name).textContent);

  it('shows the first value at once, then each change one component per frame', () => {
    const frames = manualScheduler();
    const stagger = new FrameStagger(frames.scheduler, () => false);
    const { rerender } = render(<Plots value={1} stagger={stagger} />);
    expect(shown()).toEqual(['1', '1', '1']);
    expect(frames.requests).toBe(0);

    rerender(<Plots value={2} stagger={stagger} />);
    expect(shown()).toEqual(['1', '1', '1']);
    act(() => frames.flush());
    expect(shown()).toEqual(['2', '1', '1']);
    act(() => frames.flush());
    expect(shown()).toEqual(['2', '2', '1']);
    act(() => frames.flush());
    expect(shown()).toEqual(['2', '2', '2']);
    expect(frames.requests).toBe(0);
  });

  it('draws only the newest value when it changed again before its turn', () => {
    const frames = manualScheduler();
    const stagger = new FrameStagger(frames.scheduler, () => false);
    const { rerender } = render(<Plot name="one" value={1} stagger={stagger} />);
    rerender(<Plot name="one" value={2} stagger={stagger} />);
    rerender(<Plot name="one" value={3} stagger={stagger} />);
    expect(stagger.pending).toBe(1);
    act(() => frames.flush());
    expect(screen.getByTestId('one').textContent).toBe('3');
    expect(frames.requests).toBe(0);
  });

  it('takes its change back when it unmounts', () => {
    const frames = manualScheduler();
    const stagger = new FrameStagger(frames.scheduler, () => false);
    const { rerender, unmount } = render(<Plot name="one" value={1} stagger={stagger} />);
    rerender(<Plot name="one" value={2} stagger={stagger} />);
    expect(stagger.pending).toBe(1);
    unmount();
    expect(stagger.pending).toBe(0);
  });
});
